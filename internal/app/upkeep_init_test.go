package app

import (
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/upkeep"
)

// The test suite's jobs check websites on loopback only: a listing's
// website in test data is never visited.
func init() {
	listingChecker = func(config.Config) *upkeep.Checker {
		return &upkeep.Checker{UserAgent: "joinedup-test", Timeout: upkeep.DefaultCheckTimeout, HostInterval: upkeep.DefaultHostInterval,
			LoopbackOnly: true}
	}
}
