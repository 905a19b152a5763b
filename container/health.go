package container

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// RequireEnv is the nightly switch: when it is set to anything but "", "0"
// or "false", a Docker engine that does not answer fails the Ginkgo specs
// instead of skipping them, so that a nightly job cannot pass by skipping.
const RequireEnv = "AUTOBAHN_REQUIRE_DOCKER"

// HealthTimeout bounds Available.
const HealthTimeout = 10 * time.Second

// Available checks, within HealthTimeout, that a Docker engine answers:
// the one DOCKER_HOST names when it is set (testcontainers-go would
// otherwise fall back to the default socket), else the one testcontainers-go
// finds. The error names the engine that did not answer and why.
func Available(ctx context.Context) (err error) {
	ctx, cancel := context.WithTimeout(ctx, HealthTimeout)
	defer cancel()
	defer func() {
		// testcontainers-go panics when it finds no socket at all
		if r := recover(); r != nil {
			err = fmt.Errorf("container: no Docker engine found: %v", r)
		}
	}()
	if host := os.Getenv("DOCKER_HOST"); host != "" {
		cli, err := client.New(client.FromEnv)
		if err != nil {
			return fmt.Errorf("container: DOCKER_HOST=%s: %w", host, err)
		}
		defer cli.Close()
		if _, err := cli.Ping(ctx, client.PingOptions{}); err != nil {
			return fmt.Errorf("container: the Docker engine at DOCKER_HOST=%s does not answer: %w", host, err)
		}
	}
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return fmt.Errorf("container: no Docker engine found: %w", err)
	}
	defer cli.Close()
	if _, err := cli.Ping(ctx, client.PingOptions{}); err != nil {
		return fmt.Errorf("container: the Docker engine at %s does not answer: %w", cli.DaemonHost(), err)
	}
	return nil
}

// Required reports whether the nightly switch RequireEnv is on.
func Required() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv(RequireEnv))) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// UnavailableMessage is the one message of a skip (or, with the nightly
// switch, of a failure) for the reason err that Available gave.
func UnavailableMessage(err error) string {
	if Required() {
		return fmt.Sprintf("the real Autobahn fuzzer cannot run: %v (%s is set, so this fails instead of skipping)", err, RequireEnv)
	}
	return fmt.Sprintf("skipping the real Autobahn fuzzer: %v (set %s=1 to make this a failure)", err, RequireEnv)
}
