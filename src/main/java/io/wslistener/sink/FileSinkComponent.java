package io.wslistener.sink;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code sink-file:directory} component: a fast, ordered, batching file writer. Routes normally use it through
 * the {@code ws-file-sink} kamelet.
 */
@Component("sink-file")
public class FileSinkComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("sink-file needs a directory: sink-file:data?fileName=feed-{date}.jsonl");
        }
        FileSinkEndpoint endpoint = new FileSinkEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
