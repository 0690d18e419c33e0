package io.wslistener.cluster;

import java.util.List;
import java.util.Map;

import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * The spread groups in Camel's developer console ({@code /q/dev/ws-listener-cluster} on camel-main's management
 * server): per group the members, the bound, and every shard this instance is in the election of, with what it does
 * with it and its feeds. Found by camel-console through the file camel-component-maven-plugin generates from the
 * annotation.
 */
@DevConsole(name = SpreadDevConsole.ID, group = "ws-listener", displayName = "ws-listener cluster",
            description = "Members, shards and feeds of the ws-listener feeds spread over several instances")
public final class SpreadDevConsole extends AbstractDevConsole {

    public static final String ID = "ws-listener-cluster";

    public SpreadDevConsole() {
        super("ws-listener", ID, "ws-listener cluster",
                "Members, shards and feeds of the ws-listener feeds spread over several instances");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        List<SpreadStatus> groups = groups();
        if (groups.isEmpty()) {
            return "No spread ws-listener feeds";
        }
        StringBuilder text = new StringBuilder();
        for (SpreadStatus group : groups) {
            text.append("Spread group ").append(group.namespace()).append(": member ").append(group.memberId())
                    .append(group.spread() ? ", one of " + group.members().size() + " (" + String.join(", ",
                            group.members()) + ")" : ", not spread (standing by for every shard)")
                    .append('\n');
            text.append("    ").append(group.shardCount()).append(" shards, ").append(group.feeds())
                    .append(" feeds, at most ").append(group.bound()).append(" per member; this member leads ")
                    .append(group.led().size()).append(" shards, ").append(group.feedsLed()).append(" feeds\n");
            text.append("    Moves since start: ").append(group.taken()).append(" taken, ").append(group.released())
                    .append(" released, ").append(group.lost()).append(" lost\n");
            if (group.duplicateMemberId()) {
                text.append("    Another instance has this member id!\n");
            }
            for (SpreadStatus.ShardState shard : group.shards()) {
                text.append("    Shard ").append(shard.shard()).append(": ").append(shard.state()).append(", ")
                        .append(shard.feedIds().size()).append(" feeds: ").append(String.join(", ", shard.feedIds()))
                        .append('\n');
            }
        }
        return text.toString();
    }

    @Override
    protected JsonObject doCallJson(Map<String, Object> options) {
        JsonArray list = new JsonArray();
        for (SpreadStatus group : groups()) {
            JsonObject jo = new JsonObject();
            jo.put("namespace", group.namespace());
            jo.put("memberId", group.memberId());
            jo.put("spread", group.spread());
            jo.put("members", new JsonArray(group.members()));
            jo.put("membersReadable", group.membersReadable());
            jo.put("duplicateMemberId", group.duplicateMemberId());
            jo.put("shards", group.shardCount());
            jo.put("feeds", group.feeds());
            jo.put("bound", group.bound());
            jo.put("shardsLed", group.led().size());
            jo.put("feedsLed", group.feedsLed());
            jo.put("taken", group.taken());
            jo.put("released", group.released());
            jo.put("lost", group.lost());
            JsonArray shards = new JsonArray();
            for (SpreadStatus.ShardState shard : group.shards()) {
                JsonObject so = new JsonObject();
                so.put("shard", shard.shard());
                so.put("state", shard.state());
                so.put("led", shard.led());
                so.put("feeds", new JsonArray(shard.feedIds()));
                shards.add(so);
            }
            jo.put("joined", shards);
            list.add(jo);
        }
        JsonObject root = new JsonObject();
        root.put("groups", list);
        return root;
    }

    private List<SpreadStatus> groups() {
        SpreadGroups groups = SpreadGroups.find(getCamelContext());
        return groups == null ? List.of() : groups.groups().stream().map(SpreadStatus::of).toList();
    }
}
