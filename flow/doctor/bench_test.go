package doctor_test

import (
	"fmt"
	"strings"
	"testing"
)

// noiseLines are the kind of lines a Hiveku or mail-gateway log is made
// of: request logs, JSON records, URLs with query strings, GUIDs, stack
// frames. None of them carries a sign-in error.
var noiseLines = []string{
	`2026-11-27T06:00:%02d.%03dZ INFO http request method=GET path=/api/mail/sync status=200 duration_ms=%d request_id=6a0b5c1d-2e3f-4a5b-8c9d-0e1f2a3b4c5d`,
	`{"level":"info","ts":"2026-11-27T06:00:%02d.%03dZ","msg":"synced mailbox","folder":"Inbox","messages":%d,"user":"u_1842"}`,
	`2026-11-27T06:00:%02d.%03dZ DEBUG GET https://graph.microsoft.com/v1.0/me/mailFolders?$top=%d&$select=id,displayName 200`,
	`2026-11-27T06:00:%02d.%03dZ INFO redirect to https://app.hiveku.com/inbox?tab=focused&page=%d&q=from%%3Asam`,
	`    at Hiveku.Mail.SyncWorker.RunAsync(CancellationToken ct) in /src/Mail/SyncWorker.cs:line %d (%d, %d)`,
	`2026-11-27T06:00:%02d.%03dZ WARN slow query on connections table (%d ms); consider an index`,
}

// errorSamples are inserted into the noise.
var errorSamples = []string{
	sampleTokenJSON, sampleNestedJSON, sampleMSALPython, sampleGoOAuth2,
	sampleGoOAuth2Old, sampleThunderbird, sampleURLPlus, sampleJava,
	sampleMSALNode, sampleURL20,
}

// buildLog returns about size bytes of log noise with nErrors errors
// scattered through it at deterministic positions.
func buildLog(size, nErrors int) string {
	var b strings.Builder
	b.Grow(size + 4096)
	every := size / (nErrors + 1)
	next, placed, seed := every, 0, uint32(7)
	for i := 0; b.Len() < size; i++ {
		seed = seed*1664525 + 1013904223
		l := noiseLines[int(seed>>8)%len(noiseLines)]
		fmt.Fprintf(&b, l+"\n", int(seed>>3)%60, int(seed>>5)%1000, int(seed>>9)%5000)
		if placed < nErrors && b.Len() >= next {
			b.WriteString("2026-11-27T06:00:00.000Z ERROR ")
			b.WriteString(errorSamples[placed%len(errorSamples)])
			b.WriteString("\n")
			placed++
			next += every
		}
	}
	return b.String()
}

func TestBuildLogFindsEveryKind(t *testing.T) {
	d := newDoctor(t)
	fs := d.Diagnose(buildLog(1<<20, 50))
	// The ten samples carry eight distinct codes (7000215 and 65001 twice).
	if len(fs) != 8 {
		t.Errorf("Diagnose(1 MB log) = %v, want 8 distinct findings", headings(fs))
	}
	if noise := d.Diagnose(buildLog(1<<20, 0)); len(noise) != 0 {
		t.Errorf("Diagnose(noise only) = %v, want nothing", headings(noise))
	}
}

// BenchmarkDiagnose1MB is the target: 50 errors in 1 MB of log in under
// 50 ms.
func BenchmarkDiagnose1MB(b *testing.B) {
	benchSize(b, 1<<20, 50)
}

// BenchmarkDiagnoseSize shows growth with input size at a constant error
// density (50 per MB).
func BenchmarkDiagnoseSize(b *testing.B) {
	for _, size := range []int{256 << 10, 1 << 20, 4 << 20, 16 << 20} {
		b.Run(fmt.Sprintf("%dK", size>>10), func(b *testing.B) {
			benchSize(b, size, 50*size/(1<<20))
		})
	}
}

func benchSize(b *testing.B, size, nErrors int) {
	d := newDoctor(b)
	in := buildLog(size, nErrors)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if fs := d.Diagnose(in); len(fs) == 0 {
			b.Fatal("no findings")
		}
	}
}
