package mail_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/mail"
)

// BenchmarkDeliver10000 sends 10,000 queued messages through SMTPSender to
// the test SMTP server on 127.0.0.1 (a real TCP conversation per message:
// greeting, EHLO, MAIL, RCPT, DATA, QUIT), with the workers the mail job
// uses, and reports messages a second and the seconds for the 10,000.
// Each message is claimed, sent and marked sent in the database.
//
//	JOINEDUP_TEST_ENGINES=sqlite go test ./internal/mail -run '^$' -bench Deliver10000 -benchtime 1x
func BenchmarkDeliver10000(b *testing.B) {
	const n = 10_000
	srv := startSMTP(b, "127.0.0.1:0")
	sender, err := mail.NewSender("smtp://"+srv.addr, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	d := openDB(b)
	ctx := context.Background()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if _, err := d.ExecContext(ctx, `DELETE FROM mail_outbox`); err != nil {
			b.Fatal(err)
		}
		if err := d.Tx(ctx, func(q db.Querier) error {
			for j := range n {
				if _, err := box.Enqueue(ctx, q, mail.Message{Kind: "board-papers", To: fmt.Sprintf("subscriber%d@example.org", j),
					Subject: "Papers for the Strategic Board", Text: "The papers for the meeting are published.\n\nhttps://joinedup.example/events/x\n"}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		before := len(srv.messages())
		b.StartTimer()
		start := time.Now()
		res, err := mail.Delivery{DB: d, Sender: sender, From: "no-reply@joinedup.example", Workers: 8}.Run(ctx)
		elapsed := time.Since(start)
		b.StopTimer()
		total += elapsed
		if err != nil || res.Sent != n {
			b.Fatalf("sent %d of %d (%+v): %v", res.Sent, n, res, err)
		}
		if got := len(srv.messages()) - before; got != n {
			b.Fatalf("the SMTP server received %d messages, want %d", got, n)
		}
		var left int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL`).Scan(&left); err != nil || left != 0 {
			b.Fatalf("%d messages left unsent (%v)", left, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "msgs/s")
	b.ReportMetric(total.Seconds()/float64(b.N), "s/10000msgs")
}
