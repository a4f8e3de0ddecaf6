package metrics

import (
	"context"
	"runtime/metrics"
)

// runtimeGauges are the Go runtime's figures that tell a leak from caches
// outside Go (SQLite's, for one): memory the runtime holds, live heap
// objects and goroutines.
var runtimeGauges = []struct{ name, help, key string }{
	{"joinedup_go_memory_bytes", "Memory mapped by the Go runtime (heap, stacks, its own structures).", "/memory/classes/total:bytes"},
	{"joinedup_go_heap_objects_bytes", "Bytes of heap objects, live or not yet swept.", "/memory/classes/heap/objects:bytes"},
	{"joinedup_go_goroutines", "Goroutines running or waiting.", "/sched/goroutines:goroutines"},
}

// AddRuntime adds the Go runtime's memory and goroutine gauges to r.
func AddRuntime(r *Registry) {
	for _, g := range runtimeGauges {
		r.GaugeFunc(g.name, g.help, nil, func(context.Context) ([]Sample, error) {
			s := []metrics.Sample{{Name: g.key}}
			metrics.Read(s)
			v := 0.0
			switch s[0].Value.Kind() {
			case metrics.KindUint64:
				v = float64(s[0].Value.Uint64())
			case metrics.KindFloat64:
				v = s[0].Value.Float64()
			}
			return []Sample{{Value: v}}, nil
		})
	}
}
