package io.wslistener;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.wslistener.connection.VertxInternals;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of the shipped code, as a newcomer may rely on them.
 */
@AnalyzeClasses(packages = "io.wslistener", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Every package, sub-packages included (sink.file, sink.http, ...), is its own slice. */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.wslistener.(**)").should().beFreeOfCycles();

    /**
     * Sinks know nothing of WebSocket connections: they take exchanges. Shared small pieces live in
     * io.wslistener.support.
     */
    @ArchTest
    static final ArchRule sinksStayOffTheWebSocketCore = noClasses().that().resideInAPackage("io.wslistener.sink..")
            .should().dependOnClassesThat(describe("are in io.wslistener.connection or io.wslistener.source",
                    ArchitectureTest::webSocketCore));

    /** A Vert.x upgrade that moves its internals touches one class. */
    @ArchTest
    static final ArchRule vertxInternalsInOneAdapter = noClasses().that()
            .doNotHaveFullyQualifiedName(VertxInternals.class.getName())
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..impl..");

    private static boolean webSocketCore(JavaClass type) {
        return type.getPackageName().startsWith("io.wslistener.connection")
                || type.getPackageName().startsWith("io.wslistener.source");
    }
}
