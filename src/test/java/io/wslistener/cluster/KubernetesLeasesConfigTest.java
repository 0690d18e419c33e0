package io.wslistener.cluster;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.wslistener.app.WsListenerApplication;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.main.Main;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes Leases cluster service of {@code examples/cluster/kubernetes}, as shipped, under the spread feeds of
 * {@code examples/many-feeds/clustered}: camel-main makes the bean with every option bound (the enum, the label map,
 * the durations) and the FeedSpreadPolicy accepts it as the cluster service of its group, naming this instance by the
 * pod name. There is no Kubernetes here: the client is pointed at a closed local port (fabric8's own
 * {@code kubernetes.master} system property, as outside a pod), so the Leases are never reached and no feed starts.
 */
class KubernetesLeasesConfigTest {

    private static final List<String> CLIENT_PROPERTIES = List.of("kubernetes.master",
            "kubernetes.auth.tryKubeConfig", "kubernetes.auth.tryServiceAccount");

    @TempDir
    Path dir;

    @Test
    void theShippedLeaseConfigurationIsBoundAndAcceptedBySpreadFeeds() throws Exception {
        Path routes = dir.resolve("feeds.yaml");
        Files.writeString(routes, ManyFeedsYaml.CLUSTERED.feeds(2, "127.0.0.1", 1));
        Path properties = ClusterTestFiles.properties(dir,
                "camel.main.routesIncludePattern = file:" + routes
                        + ",file:examples/cluster/kubernetes/cluster-service.yaml",
                "feeds.dataDir = " + dir.resolve("data"),
                "feed.cluster.kubernetes.namespace = market-data");
        try (ServerSocket closed = new ServerSocket(0)) {
            System.setProperty("kubernetes.master", "http://127.0.0.1:" + closed.getLocalPort());
        }
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        Main main = WsListenerApplication.createMain(new String[]{ "--properties", properties.toString() });
        try {
            main.start();
            CamelContext context = main.getCamelContext();

            CamelClusterService found = ClusterServiceHelper.lookupService(context).orElseThrow();
            KubernetesClusterService service = assertInstanceOf(KubernetesClusterService.class, found);
            assertEquals("market-data", service.getKubernetesNamespace());
            assertEquals(LeaseResourceType.Lease, service.getLeaseResourceType());
            assertEquals("ws-listener", service.getKubernetesResourceName());
            assertEquals(Map.of("app", "ws-listener"), service.getClusterLabels());
            assertEquals(15000, service.getLeaseDurationMillis());
            assertEquals(10000, service.getRenewDeadlineMillis());
            assertEquals(2000, service.getRetryPeriodMillis());

            List<SpreadGroup> groups = SpreadGroups.find(context).groups();
            assertEquals(1, groups.size(), "spread groups");
            String podName = System.getenv().getOrDefault("HOSTNAME",
                    java.net.InetAddress.getLocalHost().getHostName());
            assertEquals(podName, groups.get(0).localId(), "the member id is the pod name");
            assertTrue(context.getRouteController().getRouteStatus(ManyFeedsYaml.feedId(1)).isStopped(),
                    "no feed runs without its shard's Lease");
        } finally {
            main.stop();
            CLIENT_PROPERTIES.forEach(System::clearProperty);
        }
    }
}
