package io.github.ailabkit.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.ThrowsDeclaration;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a user of the SDK sees of a type, for {@link ArchitectureRules#PUBLIC_SIGNATURES_NAME_NO_INTERNAL_OR_OKHTTP_TYPE}:
 * which types are API, and every type a public or protected signature of theirs names.
 */
final class PublicSignatures {
  /** Public types, and protected nested ones, outside {@code internal}, whose enclosing types are API too. */
  static final DescribedPredicate<JavaClass> API_TYPES =
      DescribedPredicate.describe("are public API types (public, outside ..internal..)", PublicSignatures::isApiType);

  /** Types no public signature may name: {@code internal} ones, OkHttp's and Okio's. */
  static final DescribedPredicate<JavaClass> HIDDEN_TYPES = DescribedPredicate.describe(
      "internal, OkHttp or Okio types", type -> ArchitectureRules.hasSegment(type.getPackageName(), "internal")
          || type.getPackageName().startsWith("okhttp3") || type.getPackageName().startsWith("okio"));

  private PublicSignatures() {
  }

  /** A condition: no public or protected signature of the class names a {@code hidden} type, but for {@code allowed} members. */
  static ArchCondition<JavaClass> nameNoTypeIn(DescribedPredicate<JavaClass> hidden, Set<String> allowed) {
    return new ArchCondition<>("name no " + hidden.getDescription() + " in a public or protected signature") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        report(type, type.getName() + " (its supertypes or type parameters)", typesOf(type), hidden, events);
        for (JavaMember member : type.getMembers()) {
          if (isVisible(member.getModifiers()) && !allowed.contains(member.getFullName())) {
            report(type, member.getFullName(), typesOf(member), hidden, events);
          }
        }
      }
    };
  }

  private static void report(JavaClass owner, String where, List<JavaType> named, DescribedPredicate<JavaClass> hidden,
      ConditionEvents events) {
    named.stream()
        .flatMap(type -> type.getAllInvolvedRawTypes().stream())
        .map(JavaClass::getBaseComponentType)
        .filter(hidden)
        .map(JavaClass::getName)
        .distinct()
        .forEach(name -> events.add(SimpleConditionEvent.violated(owner, where + " names " + name)));
  }

  private static List<JavaType> typesOf(JavaClass type) {
    List<JavaType> types = new ArrayList<>(type.getInterfaces());
    type.getSuperclass().ifPresent(types::add);
    types.addAll(type.getTypeParameters());
    return types;
  }

  private static List<JavaType> typesOf(JavaMember member) {
    List<JavaType> types = new ArrayList<>();
    if (member instanceof JavaField field) {
      types.add(field.getType());
    } else if (member instanceof JavaCodeUnit code) {
      types.add(code.getReturnType());
      types.addAll(code.getParameterTypes());
      types.addAll(code.getTypeParameters());
      for (ThrowsDeclaration<? extends JavaCodeUnit> thrown : code.getThrowsClause()) {
        types.add(thrown.getRawType());
      }
    }
    return types;
  }

  private static boolean isApiType(JavaClass type) {
    if (type.isAnonymousClass() || type.isLocalClass() || ArchitectureRules.hasSegment(type.getPackageName(), "internal")) {
      return false;
    }
    for (Optional<JavaClass> t = Optional.of(type); t.isPresent(); t = t.get().getEnclosingClass()) {
      Set<JavaModifier> modifiers = t.get().getModifiers();
      boolean nested = t.get().getEnclosingClass().isPresent();
      if (!modifiers.contains(JavaModifier.PUBLIC) && !(nested && modifiers.contains(JavaModifier.PROTECTED))) {
        return false;
      }
    }
    return !type.getModifiers().contains(JavaModifier.SYNTHETIC);
  }

  private static boolean isVisible(Set<JavaModifier> modifiers) {
    return (modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED))
        && !modifiers.contains(JavaModifier.SYNTHETIC) && !modifiers.contains(JavaModifier.BRIDGE);
  }
}
