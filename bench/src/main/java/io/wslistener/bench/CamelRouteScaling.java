package io.wslistener.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Camel alone, no ws-listener: how creating and starting N routes scales in Camel 4.17, the reproducer of the
 * quadratic start-up costs that {@code bench/run.sh footprint} found (BENCHMARKS.md section 7). A diagnostic, not a
 * figure of the shipped application.
 * <p>
 * Each count runs in a fresh {@link DefaultCamelContext} in this JVM: N routes {@code from("idle:r<i>")
 * .to("log:r<i>?level=OFF")}, either made from one route template ({@code addRouteFromTemplate}, as a YAML
 * {@code templatedRoute} list does) or as plain routes, then {@code start()}. {@code idle:} is a component of a few
 * lines here whose consumer does nothing, so that only Camel's own work is measured. It prints the CPU time of the thread
 * that does it, split into adding the routes and starting the context, and the time per route: a per-route time that
 * doubles when N doubles is a cost quadratic in N.
 * <p>
 * Usage: {@code CamelRouteScaling [counts, default 1000,2000,4000,8000] [template|plain]}
 */
public final class CamelRouteScaling {

    private CamelRouteScaling() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = new ArrayList<>();
        for (String count : (args.length > 0 ? args[0] : "1000,2000,4000,8000").split(",")) {
            counts.add(Integer.parseInt(count.trim()));
        }
        boolean template = args.length < 2 || args[1].equals("template");
        // a first small round, so that the JIT has compiled the paths before the measured ones
        run(500, template);
        System.out.printf(Locale.ROOT, "%s routes in a bare DefaultCamelContext (Camel %s, Java %s)%n%n",
                template ? "templated" : "plain", org.apache.camel.impl.engine.AbstractCamelContext.class.getPackage()
                        .getImplementationVersion(), System.getProperty("java.version"));
        System.out.println("| routes | add (s CPU) | start (s CPU) | add per route (µs) | start per route (µs) |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: |");
        for (int n : counts) {
            double[] cpu = run(n, template);
            System.out.printf(Locale.ROOT, "| %,d | %.2f | %.2f | %.0f | %.0f |%n", n, cpu[0], cpu[1],
                    cpu[0] * 1e6 / n, cpu[1] * 1e6 / n);
        }
    }

    /** CPU seconds of this thread: adding the routes, then starting the context. */
    private static double[] run(int routes, boolean template) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            // no MBeans per route (camel-management is on this class path), as the shipped ContextOnly level has it
            context.disableJMX();
            context.addComponent("idle", new IdleComponent());
            long begin = threads.getCurrentThreadCpuTime();
            if (template) {
                context.addRoutes(new RouteBuilder() {

                    @Override
                    public void configure() {
                        routeTemplate("feed").templateParameter("name")
                                .from("idle:{{name}}").to("log:{{name}}?level=OFF");
                    }
                });
                for (int i = 0; i < routes; i++) {
                    context.addRouteFromTemplate("r" + i, "feed", Map.of("name", "r" + i));
                }
            } else {
                context.addRoutes(new RouteBuilder() {

                    @Override
                    public void configure() {
                        for (int i = 0; i < routes; i++) {
                            from("idle:r" + i).routeId("r" + i).to("log:r" + i + "?level=OFF");
                        }
                    }
                });
            }
            long added = threads.getCurrentThreadCpuTime();
            context.start();
            long started = threads.getCurrentThreadCpuTime();
            if (context.getRoutes().size() != routes) {
                throw new IllegalStateException(context.getRoutes().size() + " routes, not " + routes);
            }
            return new double[] { (added - begin) / 1e9, (started - added) / 1e9 };
        }
    }

    /** A component whose consumers do nothing: Camel's route machinery with nothing of a real component's. */
    static final class IdleComponent extends DefaultComponent {

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            return new DefaultEndpoint(uri, this) {

                @Override
                public Producer createProducer() {
                    throw new UnsupportedOperationException("idle: only consumes");
                }

                @Override
                public Consumer createConsumer(Processor processor) {
                    return new DefaultConsumer(this, processor);
                }
            };
        }
    }
}
