package io.wslistener.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * The members ZooKeeper lists in a spread group's member election, read from outside the group (a test's or a
 * benchmark's own client): the moment a killed member's node goes is when the cluster service noticed the kill.
 */
public final class ZooKeeperMembers {

    /** Where examples/cluster/zookeeper puts the member election of the namespace {@code feeds}. */
    public static final String FEEDS = "/ws-listener/leaders/feeds-members";

    private ZooKeeperMembers() {
    }

    /** The member ids under {@code path} now (each election node holds its member's id). */
    public static Set<String> of(CuratorFramework client, String path) throws Exception {
        Set<String> ids = new TreeSet<>();
        for (String child : client.getChildren().forPath(path)) {
            try {
                ids.add(new String(client.getData().forPath(path + "/" + child), StandardCharsets.UTF_8));
            } catch (KeeperException.NoNodeException gone) {
                // left between the two reads
            }
        }
        return ids;
    }
}
