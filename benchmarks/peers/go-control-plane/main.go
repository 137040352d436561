// The go-control-plane peer of Meshgate's side-by-side benchmark (docs/benchmarks.md, issue
// 17.7): serves prebuilt Envoy resources from go-control-plane's snapshot cache over ADS
// (state of the world, plaintext, loopback) and switches every group to another version of
// them on an admin HTTP call. It compiles nothing: PeerComparison exports what Meshgate served
// and times both servers on it.
//
// Layout of -dir: <version>/<group>/{clusters,endpoints,listeners,routes}.pb, each one binary
// envoy.service.discovery.v3.DiscoveryResponse as Meshgate sent it (its version_info becomes
// that type's version here, so a change resends only the types whose version changed, as
// Meshgate does). Binary, not JSON: nested typed_config Anys stay opaque bytes, so this program
// needs no registry of every Envoy extension.
//
//	peer -dir DIR -version v1 -xds-port P -admin-port A
//	curl -X POST 'http://127.0.0.1:A/switch?version=v2'   # 200 once every group has v2
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"

	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"github.com/envoyproxy/go-control-plane/pkg/cache/types"
	cache "github.com/envoyproxy/go-control-plane/pkg/cache/v3"
	resource "github.com/envoyproxy/go-control-plane/pkg/resource/v3"
	server "github.com/envoyproxy/go-control-plane/pkg/server/v3"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
)

// The files of one group and the cache slot each fills.
var files = []struct {
	name string
	slot types.ResponseType
	url  string
}{
	{"clusters.pb", types.Cluster, resource.ClusterType},
	{"endpoints.pb", types.Endpoint, resource.EndpointType},
	{"listeners.pb", types.Listener, resource.ListenerType},
	{"routes.pb", types.Route, resource.RouteType},
}

// groupHash keys the cache by the node's cluster: Meshgate's proxy group (DESIGN: one snapshot
// per group, not per proxy).
type groupHash struct{}

func (groupHash) ID(node *core.Node) string {
	if node == nil {
		return ""
	}
	return node.GetCluster()
}

// loadVersion reads every group of one exported version.
func loadVersion(dir string) (map[string]*cache.Snapshot, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	snapshots := map[string]*cache.Snapshot{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		snapshot := &cache.Snapshot{}
		for _, f := range files {
			raw, err := os.ReadFile(filepath.Join(dir, e.Name(), f.name))
			if err != nil {
				return nil, err
			}
			response := &discovery.DiscoveryResponse{}
			if err := proto.Unmarshal(raw, response); err != nil {
				return nil, fmt.Errorf("%s/%s: %w", e.Name(), f.name, err)
			}
			if response.GetTypeUrl() != f.url {
				return nil, fmt.Errorf("%s/%s: type %s, not %s", e.Name(), f.name, response.GetTypeUrl(), f.url)
			}
			items := make([]types.Resource, 0, len(response.GetResources()))
			for _, any := range response.GetResources() {
				message, err := anypb.UnmarshalNew(any, proto.UnmarshalOptions{})
				if err != nil {
					return nil, fmt.Errorf("%s/%s: %w", e.Name(), f.name, err)
				}
				items = append(items, message)
			}
			snapshot.Resources[f.slot] = cache.NewResources(response.GetVersionInfo(), items)
		}
		snapshots[e.Name()] = snapshot
	}
	if len(snapshots) == 0 {
		return nil, fmt.Errorf("%s: no groups", dir)
	}
	return snapshots, nil
}

func main() {
	dir := flag.String("dir", "", "exported resources: <version>/<group>/<type>.pb")
	first := flag.String("version", "v1", "the version to serve at start")
	xdsPort := flag.Int("xds-port", 18000, "ADS port (loopback)")
	adminPort := flag.Int("admin-port", 18001, "admin HTTP port (loopback): /ready, POST /switch?version=")
	flag.Parse()

	// Every version is read before serving, so a switch times the cache, not the disk.
	versions := map[string]map[string]*cache.Snapshot{}
	entries, err := os.ReadDir(*dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			if versions[e.Name()], err = loadVersion(filepath.Join(*dir, e.Name())); err != nil {
				log.Fatal(err)
			}
		}
	}
	ctx := context.Background()
	snapshots := cache.NewSnapshotCache(false, groupHash{}, nil)
	var mu sync.Mutex
	apply := func(version string) error {
		groups, ok := versions[version]
		if !ok {
			return fmt.Errorf("no version %q", version)
		}
		mu.Lock()
		defer mu.Unlock()
		names := make([]string, 0, len(groups))
		for name := range groups {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := snapshots.SetSnapshot(ctx, name, groups[name]); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		return nil
	}
	if err := apply(*first); err != nil {
		log.Fatal(err)
	}

	// The options of go-control-plane's own example server (internal/example/server.go).
	grpcServer := grpc.NewServer(grpc.MaxConcurrentStreams(1000000))
	discovery.RegisterAggregatedDiscoveryServiceServer(grpcServer, server.NewServer(ctx, snapshots, nil))
	xds, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *xdsPort))
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		if err := grpcServer.Serve(xds); err != nil {
			log.Fatal(err)
		}
	}()

	admin := http.NewServeMux()
	admin.HandleFunc("/ready", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ready")
	})
	admin.HandleFunc("/switch", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		if err := apply(r.URL.Query().Get("version")); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, "switched")
	})
	log.Printf("serving %d versions, ADS on 127.0.0.1:%d, admin on 127.0.0.1:%d", len(versions), *xdsPort, *adminPort)
	log.Fatal(http.ListenAndServe(fmt.Sprintf("127.0.0.1:%d", *adminPort), admin))
}
