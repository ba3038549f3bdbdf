package io.github.ailabkit.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts a test class (and the classes nested in it) from {@link LeakCheckExtension}'s checks after the
 * class, for a class that keeps SDK threads or connections alive on purpose. Say why: the reason is
 * printed when the check is skipped.
 *
 * <pre>{@code
 * @LeakCheckSkip(reason = "shares one client across classes", responses = false)
 * class SomeTest { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LeakCheckSkip {
  /** Why the class may leave something behind. */
  String reason();

  /** Whether to skip the check that no SDK thread outlives the class; default true. */
  boolean threads() default true;

  /** Whether to skip the check that no response was left unclosed; default true. */
  boolean responses() default true;
}
