package io.wslistener.cluster;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wslistener.testsupport.Docs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The options table of docs/high-availability.md lists every option of {@link FeedSpreadPolicy}, and only those,
 * each with the default a new policy has.
 */
class SpreadOptionsDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-zA-Z]+)` \\| `([^`]*)` \\|", Pattern.MULTILINE);

    @Test
    void theTableListsEveryOptionWithItsDefault() throws Exception {
        String section = Docs.section("docs/high-availability.md", "Options of `FeedSpreadPolicy`");
        Map<String, String> documented = new TreeMap<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        FeedSpreadPolicy policy = new FeedSpreadPolicy();
        Map<String, String> actual = new TreeMap<>();
        for (PropertyDescriptor property : Introspector.getBeanInfo(FeedSpreadPolicy.class).getPropertyDescriptors()) {
            if (property.getWriteMethod() != null && property.getReadMethod() != null
                    && property.getWriteMethod().getDeclaringClass() == FeedSpreadPolicy.class) {
                actual.put(property.getName(), String.valueOf(property.getReadMethod().invoke(policy)));
            }
        }
        assertEquals(actual, documented);
    }
}
