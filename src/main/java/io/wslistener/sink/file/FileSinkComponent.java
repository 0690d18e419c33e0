package io.wslistener.sink.file;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code sink-file:directory} component: a fast, ordered, batching file writer. Routes normally use it through
 * the {@code ws-file-sink} kamelet.
 */
@Component("sink-file")
public class FileSinkComponent extends DefaultComponent {

    // one flush timer thread for every file of the context: a feed is a file, and a thread per file would not scale
    private ScheduledExecutorService flushScheduler;

    /** The scheduler of the periodic flushes of all this component's files, created on first use. */
    synchronized ScheduledExecutorService flushScheduler() {
        if (flushScheduler == null) {
            flushScheduler = getCamelContext().getExecutorServiceManager().newScheduledThreadPool(this, "SinkFileFlush",
                    1);
        }
        return flushScheduler;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (flushScheduler != null) {
            getCamelContext().getExecutorServiceManager().shutdown(flushScheduler);
            flushScheduler = null;
        }
        super.doStop();
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException(
                    "sink-file needs a directory: sink-file:data?fileName=feed-{date}.jsonl");
        }
        FileSinkEndpoint endpoint = new FileSinkEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
