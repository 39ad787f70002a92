package dev.wsflux;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The dependency rules of docs/ARCHITECTURE.md, checked on the compiled main classes. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.wsflux");

    @Test
    void protocolDependsOnlyOnTheJdk() {
        ArchRule rule = classes()
                .that()
                .resideInAPackage("dev.wsflux.protocol..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.wsflux.protocol..", "java..", "javax..", "org.jspecify..");
        rule.check(MAIN);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.wsflux.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theApiPackageDoesNotReachIntoTheEngine() {
        noClasses()
                .that()
                .resideInAPackage("dev.wsflux.core")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.wsflux.core.internal..")
                .check(MAIN);
    }

    @Test
    void theModuleExportsTheApiPackagesAndTheEngineOnlyToClientAndServer() throws Exception {
        ModuleDescriptor module;
        Path classes = Path.of(dev.wsflux.core.WebSocketSession.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        assertEquals("dev.wsflux.core", module.name());
        Map<String, Set<String>> exports = new TreeMap<>();
        for (ModuleDescriptor.Exports export : module.exports()) {
            exports.put(export.source(), new TreeSet<>(export.targets()));
        }
        assertEquals(
                Map.of(
                        "dev.wsflux.core", Set.of(),
                        "dev.wsflux.protocol", Set.of(),
                        "dev.wsflux.protocol.frames", Set.of(),
                        "dev.wsflux.protocol.http11", Set.of(),
                        "dev.wsflux.protocol.extensions", Set.of(),
                        "dev.wsflux.protocol.extensions.permessagedeflate", Set.of(),
                        "dev.wsflux.test", Set.of(),
                        "dev.wsflux.core.internal", Set.of("dev.wsflux.client", "dev.wsflux.server")),
                exports);
        Set<String> hidden = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(file -> file.toString().endsWith(".class") && !file.endsWith("module-info.class"))
                    .map(file -> classes.relativize(file.getParent()).toString().replace('/', '.'))
                    .forEach(hidden::add);
        }
        hidden.removeAll(exports.keySet());
        assertEquals(Set.of("dev.wsflux.protocol.codec"), hidden, "only the codec is not exported");
    }
}
