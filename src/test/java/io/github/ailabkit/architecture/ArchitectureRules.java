package io.github.ailabkit.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import java.util.Set;

/**
 * The SDK's boundaries as ArchUnit rules, checked against the main classes by {@link ArchitectureTest}
 * and shown failing, rule by rule, on deliberately broken classes by {@link ArchitectureRulesFailTest}.
 *
 * <p>The rules name the SDK's packages by a segment below the root ({@code io.github.ailabkit..internal..},
 * {@code io.github.ailabkit..simulator..}; never Micrometer's own {@code io.micrometer}), so the same rule
 * objects judge the main classes and the fixtures under
 * {@code io.github.ailabkit.architecture.fixtures}. Every rule allows an empty selection: the
 * {@code jobs}, {@code micrometer} and {@code params} packages are checked as soon as they exist.
 *
 * <p>The layout they enforce: the core is the root package {@code io.github.ailabkit}, the generated
 * {@code params} and {@code internal}; they may refer to each other. {@code jobs}, {@code micrometer} and
 * {@code simulator} sit around the core: they use it, it never uses them, and they form no cycle.
 */
public final class ArchitectureRules {
  /** The root package of the SDK. */
  public static final String ROOT = "io.github.ailabkit";

  /** The packages around the core, by last segment. */
  public static final List<String> OUTER = List.of("simulator", "jobs", "micrometer");

  /** The packages of the core besides {@link #ROOT}, by last segment. */
  public static final List<String> CORE = List.of("internal", "params");

  /**
   * The only public signature allowed to name an OkHttp type: the documented injection of the
   * application's own {@code OkHttpClient}, to share its connection pool and dispatcher.
   */
  public static final Set<String> OKHTTP_INJECTION = Set.of(
      ROOT + ".AILabClient$Builder.okHttpClient(okhttp3.OkHttpClient)");

  /**
   * The internal classes the simulator may use, by simple name: thread naming, input checks, the
   * endpoint catalog's form rules, image sniffing and the shared JSON mapper. Everything else it needs
   * comes through the public API, as an application's would.
   */
  public static final Set<String> INTERNALS_THE_SIMULATOR_MAY_USE =
      Set.of("DaemonThreads", "FormValidator", "ImageSniffer", "Inputs", "Json");

  /**
   * No public or protected signature of a public type (its supertypes, type parameters, fields,
   * constructors, methods, parameters, exceptions, generics included) names an {@code internal} type or
   * an OkHttp or Okio type, except {@link #OKHTTP_INJECTION}: users must never need one to call the SDK.
   */
  @ArchTest
  public static final ArchRule PUBLIC_SIGNATURES_NAME_NO_INTERNAL_OR_OKHTTP_TYPE =
      classes().that(PublicSignatures.API_TYPES)
          .should(PublicSignatures.nameNoTypeIn(PublicSignatures.HIDDEN_TYPES, OKHTTP_INJECTION))
          .allowEmptyShould(true);

  /** {@code internal} never depends on the packages around the core. */
  @ArchTest
  public static final ArchRule INTERNAL_NEVER_DEPENDS_ON_OUTER_PACKAGES =
      noClasses().that().resideInAPackage(ROOT + "..internal..")
          .should().dependOnClassesThat().resideInAnyPackage(anyOf(OUTER))
          .allowEmptyShould(true);

  /**
   * The simulator uses the SDK as an application does, through the public API, plus the short list
   * {@link #INTERNALS_THE_SIMULATOR_MAY_USE}.
   */
  @ArchTest
  public static final ArchRule SIMULATOR_USES_ONLY_PUBLIC_API_AND_LISTED_INTERNALS =
      noClasses().that().resideInAPackage(ROOT + "..simulator..")
          .should().dependOnClassesThat(internalClassNotIn(INTERNALS_THE_SIMULATOR_MAY_USE))
          .allowEmptyShould(true);

  /**
   * No cycle between packages outside the core: the core counts as one slice (its packages may refer to
   * each other), each package around it as another.
   */
  @ArchTest
  public static final ArchRule NO_PACKAGE_CYCLES_OUTSIDE_THE_CORE =
      slices().assignedFrom(new CoreAndOuterSlices()).should().beFreeOfCycles().allowEmptyShould(true);

  /** The core never depends on {@code jobs}, {@code micrometer} or {@code simulator}: they sit around it. */
  @ArchTest
  public static final ArchRule CORE_NEVER_DEPENDS_ON_OUTER_PACKAGES =
      noClasses().that().resideInAnyPackage(coreWithRoot())
          .should().dependOnClassesThat().resideInAnyPackage(anyOf(OUTER))
          .allowEmptyShould(true);

  /**
   * Main code never changes a JVM-wide setting: no system property written or cleared, no default
   * locale, time zone, proxy, authenticator, TLS or URL handler replaced, no default uncaught-exception
   * handler installed. A library shares the JVM with its application.
   */
  @ArchTest
  public static final ArchRule NO_JVM_WIDE_SETTING_CHANGED =
      noClasses().should().callMethodWhere(JvmWideSettings.CHANGE).allowEmptyShould(true);

  /** Every rule, in the order of issue 14. */
  public static final List<ArchRule> ALL = List.of(PUBLIC_SIGNATURES_NAME_NO_INTERNAL_OR_OKHTTP_TYPE,
      INTERNAL_NEVER_DEPENDS_ON_OUTER_PACKAGES, SIMULATOR_USES_ONLY_PUBLIC_API_AND_LISTED_INTERNALS,
      NO_PACKAGE_CYCLES_OUTSIDE_THE_CORE, CORE_NEVER_DEPENDS_ON_OUTER_PACKAGES, NO_JVM_WIDE_SETTING_CHANGED);

  private ArchitectureRules() {
  }

  private static String[] anyOf(List<String> segments) {
    return segments.stream().map(segment -> ROOT + ".." + segment + "..").toArray(String[]::new);
  }

  private static String[] coreWithRoot() {
    String[] core = anyOf(CORE);
    String[] all = new String[core.length + 1];
    all[0] = ROOT;
    System.arraycopy(core, 0, all, 1, core.length);
    return all;
  }

  private static DescribedPredicate<JavaClass> internalClassNotIn(Set<String> allowed) {
    return DescribedPredicate.describe("internal classes other than " + allowed.stream().sorted().toList(),
        type -> type.getPackageName().startsWith(ROOT) && hasSegment(type.getPackageName(), "internal")
            && !allowed.contains(topLevelSimpleName(type)));
  }

  private static String topLevelSimpleName(JavaClass type) {
    String name = type.getName().substring(type.getPackageName().isEmpty() ? 0 : type.getPackageName().length() + 1);
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }

  /** Whether a dotted package name has {@code segment} as one of its parts. */
  static boolean hasSegment(String packageName, String segment) {
    return List.of(packageName.split("\\.")).contains(segment);
  }

  /** The core (root, internal, params) is one slice; each package around it, or any other, its own. */
  private static final class CoreAndOuterSlices implements SliceAssignment {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass type) {
      String packageName = type.getPackageName();
      if (!packageName.startsWith(ROOT)) {
        return SliceIdentifier.ignore();
      }
      for (String outer : OUTER) {
        if (hasSegment(packageName, outer)) {
          return SliceIdentifier.of(outer);
        }
      }
      boolean core = packageName.equals(ROOT) || CORE.stream().anyMatch(segment -> hasSegment(packageName, segment));
      return SliceIdentifier.of(core ? "core" : packageName);
    }

    @Override
    public String getDescription() {
      return "the core (" + ROOT + ", ..internal.., ..params..) and each package around it";
    }
  }

  /** Calls that change a setting shared by the whole JVM. */
  private static final class JvmWideSettings {
    private static final Set<String> SETTERS = Set.of(
        "java.lang.System.setProperty", "java.lang.System.clearProperty", "java.lang.System.setProperties",
        "java.lang.System.setOut", "java.lang.System.setErr", "java.lang.System.setIn",
        "java.lang.Thread.setDefaultUncaughtExceptionHandler",
        "java.util.Locale.setDefault", "java.util.TimeZone.setDefault",
        "java.net.Authenticator.setDefault", "java.net.ProxySelector.setDefault",
        "java.net.CookieHandler.setDefault", "java.net.ResponseCache.setDefault",
        "java.net.URL.setURLStreamHandlerFactory", "java.net.HttpURLConnection.setFollowRedirects",
        "javax.net.ssl.SSLContext.setDefault", "javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory",
        "javax.net.ssl.HttpsURLConnection.setDefaultHostnameVerifier",
        "java.security.Security.setProperty", "java.security.Security.addProvider",
        "java.security.Security.insertProviderAt", "java.security.Security.removeProvider");

    static final DescribedPredicate<JavaMethodCall> CHANGE = DescribedPredicate.describe(
        "a method that changes a JVM-wide setting (System.setProperty, Locale.setDefault, ...)",
        call -> SETTERS.contains(call.getTarget().getOwner().getName() + "." + call.getTarget().getName()));
  }

}
