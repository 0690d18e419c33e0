package io.wslistener.sink;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.log.LogEndpoint;
import org.apache.camel.spi.LogListener;
import org.apache.camel.support.processor.ThroughputLogger;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogSinkTest {

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final LogListener listener = (exchange, logger, message) -> {
        logged.add(logger.getLog().getName() + " " + message);
        return message;
    };

    private CamelContext start(String sinkOptions) throws Exception {
        return YamlCamel.create().configure(c -> c.getCamelContextExtension().addLogListener(listener)).start("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - to: "kamelet:ws-log-sink?loggerName=quotes%s"
                """.formatted(sinkOptions));
    }

    @Test
    void logsOneLinePerMessage() throws Exception {
        // ERROR, because only the levels the test logging lets through reach the log listener
        CamelContext context = start("&level=ERROR");
        try {
            ProducerTemplate template = context.createProducerTemplate();
            template.sendBody("direct:in", "{\"n\":1}");
            template.sendBody("direct:in", "{\"n\":2}");

            assertEquals(List.of("quotes Exchange[Body: {\"n\":1}]", "quotes Exchange[Body: {\"n\":2}]"), logged);
        } finally {
            context.stop();
        }
    }

    @Test
    void logsASummaryPerIntervalInsteadOfEachMessage() throws Exception {
        CamelContext context = start("&level=ERROR&summaryInterval=200");
        try {
            ProducerTemplate template = context.createProducerTemplate();
            for (int i = 0; i < 25; i++) {
                template.sendBody("direct:in", "{\"n\":" + i + "}");
            }
            ThroughputLogger summary = context.getEndpoints().stream().filter(LogEndpoint.class::isInstance)
                    .map(e -> (ThroughputLogger) ((LogEndpoint) e).getLogger()).findFirst().orElseThrow();

            await().atMost(Duration.ofSeconds(5)).until(() -> summary.getLastLogMessage() != null);
            assertTrue(summary.getLastLogMessage().contains("Received: 25 new messages"), summary.getLastLogMessage());
            assertTrue(summary.getLastLogMessage().contains("per second"), summary.getLastLogMessage());
            assertEquals(List.of(), logged, "no line per message");
        } finally {
            context.stop();
        }
    }
}
