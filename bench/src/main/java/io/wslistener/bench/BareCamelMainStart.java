package io.wslistener.bench;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The start-up baseline: a bare camel-main (no routes, no YAML, no Vert.x, no ws-listener) that, once started, writes
 * one line to a file with Camel's {@code file:} producer. Started by {@link StartupBenchmark} on the application's own
 * libraries. (Those have neither the timer nor the direct component, and a seda route would add its first poll cycle,
 * a second, which has nothing to do with start-up.)
 * <p>
 * Usage: {@code BareCamelMainStart <outputDir>}
 */
public final class BareCamelMainStart {

    private BareCamelMainStart() {
    }

    public static void main(String[] args) throws Exception {
        String dir = args[0];
        Main main = new Main();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                started.getCamelContext().createFluentProducerTemplate()
                        .to("file:" + dir + "?fileName=first.txt").withBody("first\n").send();
            }
        });
        main.run();
    }
}
