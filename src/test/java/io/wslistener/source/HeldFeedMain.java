package io.wslistener.source;

import java.util.concurrent.CountDownLatch;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * A camel-main with one feed whose route never finishes its first message (a sink that accepts and never answers),
 * run in a JVM of its own by {@link ByteBudgetTest}. Arguments: the feed's port; system properties as for the
 * application ({@code -Dwslistener.maxInFlightBytes=...}).
 */
public final class HeldFeedMain {

    private HeldFeedMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        CountDownLatch never = new CountDownLatch(1);
        Main main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {

            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + port + "/feed").routeId("held").process(exchange -> never.await());
            }
        });
        main.run();
    }
}
