package db

import "time"

// Now returns the current time in UTC, truncated to the second, as the
// database stores it.
func Now() time.Time { return time.Now().UTC().Truncate(time.Second) }
