package io.wslistener.sink.file;

import java.util.List;

import io.wslistener.sink.SinkMessages;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.support.DefaultProducer;

/**
 * Appends each message to the endpoint's open file, and flushes when the consumer marks the end of a batch
 * ({@link Exchange#BATCH_COMPLETE}: nothing else is waiting) and when the route stops. A List body (ws-listener's
 * {@code maxBatchSize}) is written element by element, each one record, and flushed once after the last.
 */
final class FileSinkProducer extends DefaultProducer {

    FileSinkProducer(FileSinkEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public FileSinkEndpoint getEndpoint() {
        return (FileSinkEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        boolean endOfBatch = exchange.getProperty(ExchangePropertyKey.BATCH_COMPLETE, false, Boolean.class);
        FileSinkEndpoint endpoint = getEndpoint();
        Object body = SinkMessages.bodyOf(exchange);
        if (body instanceof List<?> batch) {
            endpoint.writeEach(batch, exchange, endOfBatch, endpoint.metersOf(exchange));
        } else {
            endpoint.write(body, endOfBatch, endpoint.metersOf(exchange));
        }
    }

    @Override
    protected void doStop() throws Exception {
        // the route stops: what it sent is written before the stop completes
        getEndpoint().flushForRouteStop();
        super.doStop();
    }
}
