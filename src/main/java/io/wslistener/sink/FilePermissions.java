package io.wslistener.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The permissions a sink gives the files it creates: {@code 600}/{@code 0640} (octal) or {@code rw-------}; none (null
 * or blank) leaves them to the process's umask. Set explicitly after creation, since the umask would otherwise strip
 * bits from what was asked. Ignored where the file system has no POSIX permissions (Windows).
 */
public final class FilePermissions {

    /** Leaves files to the umask. */
    public static final FilePermissions UMASK = new FilePermissions(null);

    private final Set<PosixFilePermission> permissions;

    private FilePermissions(Set<PosixFilePermission> permissions) {
        this.permissions = permissions;
    }

    /**
     * @param option the option's name, for the error message
     * @throws IllegalArgumentException naming the option when the text is neither octal nor rwx notation
     */
    public static FilePermissions parse(String option, String text) {
        if (text == null || text.isBlank()) {
            return UMASK;
        }
        String value = text.strip();
        try {
            if (value.matches("0?[0-7]{3}")) {
                int bits = Integer.parseInt(value, 8);
                StringBuilder rwx = new StringBuilder(9);
                for (int shift = 6; shift >= 0; shift -= 3) {
                    int part = bits >> shift & 7;
                    rwx.append((part & 4) != 0 ? 'r' : '-').append((part & 2) != 0 ? 'w' : '-')
                            .append((part & 1) != 0 ? 'x' : '-');
                }
                value = rwx.toString();
            }
            return new FilePermissions(PosixFilePermissions.fromString(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    option + " must be octal such as 600 or 0640, or such as rw-r-----; was '"
                            + text + "'",
                    e);
        }
    }

    /** Gives the file these permissions (nothing for {@link #UMASK} or a file system without POSIX permissions). */
    public void applyTo(Path file) throws IOException {
        if (permissions != null && Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, permissions);
        }
    }

    @Override
    public String toString() {
        return permissions == null ? "umask" : PosixFilePermissions.toString(permissions);
    }
}
