package io.wslistener.bench;

import org.apache.camel.main.Main;

/**
 * A host camel-main application that uses ws-listener as a library: plain {@code org.apache.camel.main.Main} with the
 * host's own {@code application.properties} from the working directory, run on ws-listener.jar and its libraries.
 */
public final class HostApp {

    private HostApp() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:application.properties");
        System.exit(main.run(args));
    }
}
