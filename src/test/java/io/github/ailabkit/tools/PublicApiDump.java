package io.github.ailabkit.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Describes the public API of compiled classes as text, one line per type and per member, so that a
 * checked-in copy ({@code api/ailab-sdk.api}) shows every change of the public surface in a diff.
 *
 * <p>What counts: public types (and protected nested ones, when every enclosing type is API too) outside
 * {@code internal} packages, and their public and protected constructors, methods and fields, with
 * generic signatures, {@code throws} clauses and modifiers. Synthetic and bridge members, package-private
 * and private ones do not. Types are sorted by binary name and members by name (constructors first), so the text is
 * the same for the same classes on every run and every JDK.
 *
 * <pre>
 * public final class io.github.ailabkit.AILabClient implements java.lang.AutoCloseable
 *   public java.net.URI baseUrl()
 *   public static io.github.ailabkit.AILabClient$Builder builder()
 * </pre>
 */
public final class PublicApiDump {
  private static final int TYPE_KIND_MODIFIERS = Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC
      | Modifier.FINAL | Modifier.ABSTRACT;

  private PublicApiDump() {
  }

  /** The dump of every class under {@code classesDir} (a compiler output folder such as target/classes). */
  public static List<String> ofDirectory(Path classesDir) {
    return ofPackage(classesDir, "");
  }

  /** The dump of the classes of one package and its subpackages under {@code classesDir}. */
  public static List<String> ofPackage(Path classesDir, String packageName) {
    return of(load(classNames(classesDir, packageName)));
  }

  /** The dump of the given classes; those that are not public API are left out. */
  public static List<String> of(Collection<Class<?>> classes) {
    List<String> lines = new ArrayList<>();
    classes.stream()
        .filter(PublicApiDump::isApiType)
        .sorted(Comparator.comparing(Class::getName))
        .forEach(type -> {
          lines.add(typeLine(type));
          members(type).sorted().map(member -> "  " + member.line()).forEach(lines::add);
        });
    return lines;
  }

  /**
   * Whether a type is part of the public API: public (or protected, if nested), the same for every
   * enclosing type, and not in an internal package.
   */
  static boolean isApiType(Class<?> type) {
    if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass() || isInternal(type)) {
      return false;
    }
    for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
      int modifiers = t.getModifiers();
      if (!Modifier.isPublic(modifiers) && !(Modifier.isProtected(modifiers) && t.getDeclaringClass() != null)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isInternal(Class<?> type) {
    return Arrays.asList(type.getPackageName().split("\\.")).contains("internal");
  }

  private static String typeLine(Class<?> type) {
    StringBuilder line = new StringBuilder();
    if (type.isAnnotationPresent(Deprecated.class)) {
      line.append("@Deprecated ");
    }
    int modifiers = type.getModifiers() & TYPE_KIND_MODIFIERS;
    if (type.isInterface()) {
      modifiers &= ~(Modifier.ABSTRACT | Modifier.STATIC);
    }
    if (type.isEnum() || type.isRecord()) {
      modifiers &= ~(Modifier.FINAL | Modifier.STATIC | Modifier.ABSTRACT);
    }
    line.append(Modifier.toString(modifiers)).append(' ').append(kind(type)).append(' ').append(type.getName());
    line.append(typeParameters(type.getTypeParameters()));
    Type superclass = type.getGenericSuperclass();
    if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
      line.append(" extends ").append(superclass.getTypeName());
    }
    List<String> interfaces = Stream.of(type.getGenericInterfaces()).map(Type::getTypeName)
        .filter(name -> !type.isAnnotation() || !name.equals("java.lang.annotation.Annotation"))
        .collect(Collectors.toList());
    if (!interfaces.isEmpty()) {
      line.append(type.isInterface() ? " extends " : " implements ").append(String.join(", ", interfaces));
    }
    if (type.isSealed()) {
      line.append(" permits ").append(Stream.of(type.getPermittedSubclasses()).map(Class::getName)
          .sorted().collect(Collectors.joining(", ")));
    }
    return line.toString();
  }

  private static String kind(Class<?> type) {
    if (type.isAnnotation()) {
      return "@interface";
    } else if (type.isInterface()) {
      return "interface";
    } else if (type.isEnum()) {
      return "enum";
    } else if (type.isRecord()) {
      return "record";
    }
    return "class";
  }

  /** One member's line, ordered by name (constructors first) and then by the line itself. */
  private record ApiMember(String name, String line) implements Comparable<ApiMember> {
    private static final Comparator<ApiMember> ORDER =
        Comparator.comparing(ApiMember::name).thenComparing(ApiMember::line);

    @Override
    public int compareTo(ApiMember other) {
      return ORDER.compare(this, other);
    }
  }

  private static Stream<ApiMember> members(Class<?> type) {
    Stream<ApiMember> constructors = Stream.of(type.getDeclaredConstructors())
        .filter(PublicApiDump::isApiMember)
        .map(c -> new ApiMember("<init>", executable(c, null)));
    Stream<ApiMember> methods = Stream.of(type.getDeclaredMethods())
        .filter(m -> isApiMember(m) && !m.isBridge())
        .map(m -> new ApiMember(m.getName(), executable(m, m)));
    Stream<ApiMember> fields = Stream.of(type.getDeclaredFields())
        .filter(PublicApiDump::isApiMember)
        .map(f -> new ApiMember(f.getName(), field(f)));
    return Stream.of(constructors, methods, fields).flatMap(s -> s);
  }

  private static <T extends AccessibleObject & Member> boolean isApiMember(T member) {
    int modifiers = member.getModifiers();
    return !member.isSynthetic() && (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers));
  }

  private static String executable(Executable executable, Method method) {
    StringBuilder line = new StringBuilder(annotations(executable));
    int modifiers = executable.getModifiers() & Modifier.methodModifiers()
        & ~(Modifier.STRICT | Modifier.SYNCHRONIZED | Modifier.NATIVE); // how, not what: not API
    if (executable.getDeclaringClass().isInterface()) {
      modifiers &= ~Modifier.ABSTRACT;
    }
    line.append(Modifier.toString(modifiers));
    if (method != null && method.isDefault()) {
      line.append(" default");
    }
    String typeParameters = typeParameters(executable.getTypeParameters());
    if (!typeParameters.isEmpty()) {
      line.append(' ').append(typeParameters);
    }
    if (method != null) {
      line.append(' ').append(method.getGenericReturnType().getTypeName()).append(' ').append(method.getName());
    } else {
      line.append(' ').append(((Constructor<?>) executable).getDeclaringClass().getSimpleName());
    }
    List<String> parameters = Stream.of(executable.getGenericParameterTypes()).map(Type::getTypeName)
        .collect(Collectors.toList());
    if (executable.isVarArgs() && !parameters.isEmpty()) {
      int last = parameters.size() - 1;
      String array = parameters.get(last);
      parameters.set(last, array.substring(0, array.length() - 2) + "...");
    }
    line.append('(').append(String.join(", ", parameters)).append(')');
    Type[] exceptions = executable.getGenericExceptionTypes();
    if (exceptions.length > 0) {
      line.append(" throws ").append(Stream.of(exceptions).map(Type::getTypeName).sorted()
          .collect(Collectors.joining(", ")));
    }
    return line.toString();
  }

  private static String field(Field field) {
    String kind = field.isEnumConstant() ? "enum constant " : "";
    return annotations(field) + kind + Modifier.toString(field.getModifiers() & Modifier.fieldModifiers()) + ' '
        + field.getGenericType().getTypeName() + ' ' + field.getName();
  }

  private static String annotations(AccessibleObject member) {
    return member.isAnnotationPresent(Deprecated.class) ? "@Deprecated " : "";
  }

  private static String typeParameters(TypeVariable<?>[] variables) {
    if (variables.length == 0) {
      return "";
    }
    return Stream.of(variables).map(PublicApiDump::typeVariable).collect(Collectors.joining(", ", "<", ">"));
  }

  private static String typeVariable(TypeVariable<?> variable) {
    List<String> bounds = Stream.of(variable.getBounds()).filter(b -> b != Object.class).map(Type::getTypeName)
        .collect(Collectors.toList());
    return bounds.isEmpty() ? variable.getName() : variable.getName() + " extends " + String.join(" & ", bounds);
  }

  private static List<String> classNames(Path classesDir, String packageName) {
    Path folder = packageName.isEmpty() ? classesDir : classesDir.resolve(packageName.replace('.', '/'));
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(f -> f.toString().endsWith(".class"))
          .map(f -> classesDir.relativize(f).toString())
          .filter(name -> !name.endsWith("module-info.class") && !name.endsWith("package-info.class"))
          .map(name -> name.substring(0, name.length() - ".class".length()).replace(separator(classesDir), '.'))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + classesDir, e);
    }
  }

  private static char separator(Path dir) {
    return dir.getFileSystem().getSeparator().charAt(0);
  }

  private static List<Class<?>> load(List<String> names) {
    ClassLoader loader = PublicApiDump.class.getClassLoader();
    List<Class<?>> classes = new ArrayList<>();
    for (String name : names) {
      try {
        classes.add(Class.forName(name, false, loader));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(name + " is in the class folder but not on the class path", e);
      }
    }
    return classes;
  }
}
