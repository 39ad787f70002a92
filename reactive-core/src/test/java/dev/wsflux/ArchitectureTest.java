package dev.wsflux;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The dependency rules of DESIGN.md, checked on the compiled main classes. */
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
                .resideInAnyPackage("dev.wsflux.protocol..", "java..", "javax..");
        rule.check(MAIN);
    }
}
