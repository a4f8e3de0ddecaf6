package oruk

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// reporter shows how an import is going. On a terminal it redraws one
// line, a bar with the pages read, services a second and the time left;
// elsewhere (a log, a pipe) it writes a plain line every few seconds. The
// lines that say what happened (and the summary) stay.
type reporter struct {
	w        io.Writer
	terminal bool
	every    time.Duration // between plain lines, or redraws of the bar
	now      func() time.Time

	start, shown   time.Time
	pages, total   int
	services       int
	barOn          bool
	phase          string // what is being counted: "read" or "saved"
	phaseDone, all int    // for the save phase
}

// barEvery is how often the bar is redrawn on a terminal.
const barEvery = 200 * time.Millisecond

func newReporter(w io.Writer, every time.Duration) *reporter {
	if w == nil {
		w = io.Discard
	}
	r := &reporter{w: w, every: every, now: time.Now, phase: "read"}
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		r.terminal, r.every = true, barEvery
	}
	r.start = r.now()
	r.shown = r.start
	return r
}

// isTerminal reports whether f is a character device, such as a terminal,
// rather than a file or a pipe.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// page records that page n of total (0: not known) has been read, with
// its services.
func (r *reporter) page(n, total, services int) {
	r.pages, r.services = n, r.services+services
	if total > 0 {
		r.total = total
	}
	if r.total > 0 && r.pages >= r.total {
		return // the last page: println shows it
	}
	r.tick()
}

// saved records that n of all staged services are saved.
func (r *reporter) saved(n, all int) {
	if r.phase != "saved" {
		r.phase, r.start = "saved", r.now()
	}
	r.phaseDone, r.all = n, all
	if n < all {
		r.tick()
	}
}

func (r *reporter) tick() {
	now := r.now()
	if now.Sub(r.shown) < r.every {
		return
	}
	r.shown = now
	if r.terminal {
		fmt.Fprint(r.w, "\r\x1b[K"+r.bar(now))
		r.barOn = true
		return
	}
	fmt.Fprintln(r.w, r.plain(now))
}

// println writes a line that stays.
func (r *reporter) println(format string, args ...any) {
	if r.barOn {
		fmt.Fprint(r.w, "\r\x1b[K")
		r.barOn = false
	}
	fmt.Fprintf(r.w, format+"\n", args...)
	r.shown = r.now()
}

// rate is things done a second since the phase began.
func (r *reporter) rate(n int, now time.Time) float64 {
	secs := now.Sub(r.start).Seconds()
	if secs <= 0 {
		return 0
	}
	return float64(n) / secs
}

// left estimates the time to the end from how far the phase has got.
func (r *reporter) left(done, all int, now time.Time) string {
	if done <= 0 || all <= 0 || done > all {
		return "time left unknown"
	}
	d := time.Duration(float64(now.Sub(r.start)) * float64(all-done) / float64(done))
	return formatDuration(d) + " left"
}

func (r *reporter) plain(now time.Time) string {
	if r.phase == "saved" {
		return fmt.Sprintf("saved %d of %d changed services, %.0f a second, %s", r.phaseDone, r.all,
			r.rate(r.phaseDone, now), r.left(r.phaseDone, r.all, now))
	}
	of := ""
	if r.total > 0 {
		of = fmt.Sprintf(" of %d", r.total)
	}
	return fmt.Sprintf("page %d%s: %d services read, %.0f a second, %s", r.pages, of, r.services,
		r.rate(r.services, now), r.left(r.pages, r.total, now))
}

// bar is the terminal's line: a bar 30 wide and the figures.
func (r *reporter) bar(now time.Time) string {
	done, all, what := r.pages, r.total, "pages"
	rate := r.rate(r.services, now)
	if r.phase == "saved" {
		done, all, what = r.phaseDone, r.all, "saved"
		rate = r.rate(r.phaseDone, now)
	}
	const width = 30
	filled := 0
	if all > 0 {
		filled = min(width, done*width/all)
	}
	of := "?"
	if all > 0 {
		of = fmt.Sprint(all)
	}
	return fmt.Sprintf("[%s%s] %d/%s %s  %.0f services/s  %s", strings.Repeat("#", filled),
		strings.Repeat(".", width-filled), done, of, what, rate, r.left(done, all, now))
}

// elapsed is the time since the phase began.
func (r *reporter) elapsed() time.Duration { return r.now().Sub(r.start) }

func formatDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}
