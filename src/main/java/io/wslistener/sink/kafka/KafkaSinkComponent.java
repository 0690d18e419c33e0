package io.wslistener.sink.kafka;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code sink-kafka:topic?brokers=...} component: publishes every message to a Kafka topic in arrival order,
 * pipelined through a bounded window of unconfirmed records, with a dead-letter file for what Kafka refuses. Routes
 * normally use it through the {@code ws-kafka-sink} kamelet.
 */
@Component("sink-kafka")
public class KafkaSinkComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException(
                    "sink-kafka needs a topic: sink-kafka:quotes?brokers=127.0.0.1:9092");
        }
        KafkaSinkEndpoint endpoint = new KafkaSinkEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        if (endpoint.getBrokers() == null || endpoint.getBrokers().isBlank()) {
            throw new IllegalArgumentException("sink-kafka:" + remaining + " needs brokers=host:port[,host:port...]");
        }
        return endpoint;
    }
}
