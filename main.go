// Command byok registers a customer's own Microsoft OAuth app for Hiveku,
// keeps it in SQLite and proves it works with a live consent test.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/hiveku/byok/cmd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cmd.Execute(ctx)
	stop()
	os.Exit(code)
}
