package flow

import (
	"regexp"
	"sync"
)

// LazyRE compiles pattern on first use, not at program start: byok
// --version and every other command pay nothing for patterns they never
// run (start-up time is a benchmarked target). flow/doctor and flow/sim
// use it too.
func LazyRE(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
