package cmd

import "os"

// NewFactory returns the production Factory.
func NewFactory() *Factory {
	return &Factory{IO: System(), Getenv: os.Getenv}
}
