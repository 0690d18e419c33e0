package io.wslistener.source;

import java.rmi.server.RemoteServer;
import java.rmi.server.ServerNotActiveException;
import java.security.AccessController;
import java.security.Principal;
import java.util.stream.Collectors;

import javax.security.auth.Subject;

/**
 * Who invoked a JMX operation, as far as JMX tells, for the operator's log line: the user a remote JMX connector
 * authenticated (the principals of the {@link Subject} it runs the operation as) and the client's host (the RMI call
 * the operation runs in). Called on the thread that runs the operation. JMX itself offers nothing simpler: this is how
 * the JMX specification lets an MBean see its caller.
 */
final class JmxCaller {

    private JmxCaller() {
    }

    /** @return for example {@code user 'operator' from 10.0.0.5}, or {@code a local caller} when JMX tells nothing */
    static String describe() {
        String user = user();
        String host = clientHost();
        if (user == null && host == null) {
            return "a local caller";
        }
        return (user == null ? "an unauthenticated client" : "user '" + user + "'")
                + (host == null ? "" : " from " + host);
    }

    // AccessController is deprecated for removal, but it is how a JDK 17 MBean reads the Subject it runs as
    @SuppressWarnings("removal")
    private static String user() {
        try {
            Subject subject = Subject.getSubject(AccessController.getContext());
            if (subject == null || subject.getPrincipals().isEmpty()) {
                return null;
            }
            return subject.getPrincipals().stream().map(Principal::getName).distinct()
                    .collect(Collectors.joining(","));
        } catch (RuntimeException e) {
            // a JDK that no longer supports it: the host alone must do
            return null;
        }
    }

    private static String clientHost() {
        try {
            return RemoteServer.getClientHost();
        } catch (ServerNotActiveException e) {
            // not called over RMI: a local MBean server client (JConsole attached locally, the application itself)
            return null;
        }
    }
}
