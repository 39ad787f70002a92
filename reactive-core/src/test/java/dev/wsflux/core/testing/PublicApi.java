package dev.wsflux.core.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The public-API rule of docs/ARCHITECTURE.md, shared by every module's architecture test: no Netty or Reactor Netty type
 * appears in a public or protected signature of a public class outside {@code .internal} packages (parameters,
 * return types, fields, and their generic type arguments).
 */
public final class PublicApi {
    private PublicApi() {}

    /** Checks the main classes of {@code packageName} and its subpackages. */
    public static void assertNoNettyTypes(String packageName) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(packageName);
        DescribedPredicate<JavaClass> apiClass = DescribedPredicate.describe(
                "public API classes",
                c -> c.getModifiers().contains(JavaModifier.PUBLIC)
                        && !c.getPackageName().contains(".internal")
                        && c.getPackageName().startsWith(packageName));
        codeUnits()
                .that()
                .areDeclaredInClassesThat(apiClass)
                .and(DescribedPredicate.describe("are public or protected", PublicApi::isVisible))
                .should(new ArchCondition<JavaCodeUnit>("not use Netty types in their signature") {
                    @Override
                    public void check(JavaCodeUnit unit, ConditionEvents events) {
                        List<JavaType> types = new ArrayList<>(unit.getParameterTypes());
                        types.add(unit.getReturnType());
                        report(unit.getFullName(), types, events, unit);
                    }
                })
                .allowEmptyShould(true)
                .check(classes);
        fields().that()
                .areDeclaredInClassesThat(apiClass)
                .and(DescribedPredicate.describe("are public or protected", PublicApi::isVisibleField))
                .should(new ArchCondition<JavaField>("not have a Netty type") {
                    @Override
                    public void check(JavaField field, ConditionEvents events) {
                        report(field.getFullName(), List.of(field.getType()), events, field);
                    }
                })
                .allowEmptyShould(true)
                .check(classes);
    }

    private static boolean isVisible(JavaCodeUnit unit) {
        Set<JavaModifier> modifiers = unit.getModifiers();
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static boolean isVisibleField(JavaField field) {
        Set<JavaModifier> modifiers = field.getModifiers();
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static void report(String where, List<JavaType> types, ConditionEvents events, Object subject) {
        for (JavaType type : types) {
            for (JavaClass involved : type.getAllInvolvedRawTypes()) {
                String name = involved.getName();
                if (name.startsWith("io.netty.") || name.startsWith("reactor.netty.")) {
                    events.add(SimpleConditionEvent.violated(subject, where + " uses " + name));
                }
            }
        }
    }
}
