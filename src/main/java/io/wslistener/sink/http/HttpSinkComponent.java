package io.wslistener.sink.http;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code sink-http:name?url=...} component: posts messages in order through a bounded buffer of its own, with
 * retries and a dead-letter file. Routes normally use it through the {@code ws-http-sink} kamelet.
 */
@Component("sink-http")
public class HttpSinkComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("sink-http needs a name: sink-http:orders?url=http://host/ingest");
        }
        HttpSinkEndpoint endpoint = new HttpSinkEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        if (endpoint.getUrl() == null || endpoint.getUrl().isBlank()) {
            throw new IllegalArgumentException("sink-http:" + remaining + " needs url=http://host:port/path");
        }
        return endpoint;
    }
}
