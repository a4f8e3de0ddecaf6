package app

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/jobs"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/metrics"
	"github.com/joinedup/joinedup/internal/web"
)

// mountMetrics adds the outbox's and the database's figures to the site's
// metrics and, when cfg has a metrics token, serves them at /metrics to
// requests that bear it. Without a token /metrics is not served at all.
func mountMetrics(site *web.Site, d *db.DB, cfg config.Config, log *slog.Logger) {
	reg := site.Metrics()
	metrics.AddRuntime(reg)
	reg.GaugeFunc("joinedup_outbox_queued_messages", "Email messages waiting in the outbox to be sent.", nil,
		func(ctx context.Context) ([]metrics.Sample, error) {
			n, _, err := mail.Queue(ctx, d)
			return []metrics.Sample{{Value: float64(n)}}, err
		})
	reg.GaugeFunc("joinedup_outbox_oldest_age_seconds", "How long the oldest unsent message has waited (0 when none waits).", nil,
		func(ctx context.Context) ([]metrics.Sample, error) {
			_, oldest, err := mail.Queue(ctx, d)
			age := 0.0
			if !oldest.IsZero() {
				age = max(0, time.Since(oldest).Seconds())
			}
			return []metrics.Sample{{Value: age}}, err
		})
	pool := func(name, help string, counter bool, value func(s sql.DBStats) float64) {
		read := func(context.Context) ([]metrics.Sample, error) {
			var out []metrics.Sample
			for _, p := range []string{"read", "write", "shared"} {
				if st, ok := d.PoolStats()[p]; ok {
					out = append(out, metrics.Sample{Labels: []string{p}, Value: value(st)})
				}
			}
			return out, nil
		}
		if counter {
			reg.CounterFunc(name, help, []string{"pool"}, read)
		} else {
			reg.GaugeFunc(name, help, []string{"pool"}, read)
		}
	}
	pool("joinedup_db_max_open_connections", "Most connections the pool opens.", false,
		func(s sql.DBStats) float64 { return float64(s.MaxOpenConnections) })
	pool("joinedup_db_open_connections", "Connections open, in use or idle.", false,
		func(s sql.DBStats) float64 { return float64(s.OpenConnections) })
	pool("joinedup_db_in_use_connections", "Connections in use.", false,
		func(s sql.DBStats) float64 { return float64(s.InUse) })
	pool("joinedup_db_idle_connections", "Idle connections.", false,
		func(s sql.DBStats) float64 { return float64(s.Idle) })
	pool("joinedup_db_waits_total", "Times a query waited for a free connection.", true,
		func(s sql.DBStats) float64 { return float64(s.WaitCount) })
	pool("joinedup_db_wait_seconds_total", "Time spent waiting for a free connection.", true,
		func(s sql.DBStats) float64 { return s.WaitDuration.Seconds() })
	if cfg.MetricsToken == "" {
		return
	}
	want := []byte("Bearer " + cfg.MetricsToken)
	site.GetUncached("/metrics", func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Cache-Control", "no-store")
		got := []byte(strings.TrimSpace(r.Header.Get("Authorization")))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			web.WriteBody(w, r, http.StatusUnauthorized, "text/plain; charset=utf-8",
				[]byte("Send the metrics token: Authorization: Bearer TOKEN\n"))
			return nil
		}
		var b strings.Builder
		if err := reg.WriteTo(r.Context(), &b); err != nil {
			return err
		}
		web.WriteBody(w, r, http.StatusOK, metrics.ContentType, []byte(b.String()))
		return nil
	})
	log.Info("metrics served at /metrics to holders of the metrics token")
}

// jobMetrics adds the runs and failures of runner's jobs to reg.
func jobMetrics(reg *metrics.Registry, runner *jobs.Runner) {
	counts := func(failures bool) func(context.Context) ([]metrics.Sample, error) {
		return func(context.Context) ([]metrics.Sample, error) {
			var out []metrics.Sample
			for _, c := range runner.Counts() {
				v := c.Runs
				if failures {
					v = c.Failures
				}
				out = append(out, metrics.Sample{Labels: []string{c.Name}, Value: float64(v)})
			}
			return out, nil
		}
	}
	reg.CounterFunc("joinedup_job_runs_total", "Runs of each scheduled job on this instance.", []string{"job"}, counts(false))
	reg.CounterFunc("joinedup_job_failures_total", "Runs of each scheduled job on this instance that failed.", []string{"job"}, counts(true))
}
