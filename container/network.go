package container

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"

	dcontainer "github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
)

// hostGatewayName is the name under which a container on the bridge
// reaches the host: Docker Desktop defines it, and elsewhere the extra host
// "host.docker.internal:host-gateway" maps it to the bridge's gateway.
const hostGatewayName = "host.docker.internal"

// serverURLInside is the URL under which the fuzzer in its container reaches
// a server the host reaches at serverURL.
func serverURLInside(serverURL string, n Network) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", fmt.Errorf("container: server URL %q: %w", serverURL, err)
	}
	if u.Scheme != "ws" || u.Hostname() == "" || u.Port() == "" {
		return "", fmt.Errorf("container: server URL %q: want ws://host:port/path (TLS is not supported)", serverURL)
	}
	if n == BridgeNetwork && isLoopback(u.Hostname()) {
		u.Host = net.JoinHostPort(hostGatewayName, u.Port())
	}
	return u.String(), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// clientModeNetwork is the container's network in fuzzingclient mode.
func clientModeNetwork(n Network) testcontainers.CustomizeRequestOption {
	if n == HostNetwork {
		return hostNetwork()
	}
	return testcontainers.WithHostConfigModifier(func(hc *dcontainer.HostConfig) {
		hc.ExtraHosts = append(hc.ExtraHosts, hostGatewayName+":host-gateway")
	})
}

// serverModeNetwork is the container's network in fuzzingserver mode, with
// the fuzzer listening on port inside the container; on the bridge the port
// is published on the host's 127.0.0.1 under the same number.
func serverModeNetwork(n Network, port int) []testcontainers.ContainerCustomizer {
	if n == HostNetwork {
		return []testcontainers.ContainerCustomizer{hostNetwork()}
	}
	p := strconv.Itoa(port) + "/tcp"
	return []testcontainers.ContainerCustomizer{
		testcontainers.WithExposedPorts(p),
		testcontainers.WithHostConfigModifier(func(hc *dcontainer.HostConfig) {
			if hc.PortBindings == nil {
				hc.PortBindings = network.PortMap{}
			}
			hc.PortBindings[network.MustParsePort(p)] = []network.PortBinding{
				{HostIP: netip.AddrFrom4([4]byte{127, 0, 0, 1}), HostPort: strconv.Itoa(port)},
			}
		}),
	}
}

func hostNetwork() testcontainers.CustomizeRequestOption {
	return testcontainers.WithHostConfigModifier(func(hc *dcontainer.HostConfig) { hc.NetworkMode = "host" })
}

// listenAddr is where the fuzzing server listens inside the container.
func listenAddr(n Network, port int) string {
	if n == HostNetwork {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	}
	return net.JoinHostPort("0.0.0.0", strconv.Itoa(port))
}

// freePort is a TCP port free on the host's 127.0.0.1 a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("container: find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
