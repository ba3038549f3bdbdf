package io.github.ailabkit.tools.apifixture;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/** A class whose dump {@code PublicApiTest} knows line by line: every kind of member, visible or not. */
public abstract class Sample<T extends Comparable<T>> implements Supplier<T> {
  /** A public constant. */
  public static final String NAME = "sample";
  /** A protected field. */
  protected int count;
  int packagePrivateField;
  private int privateField;

  /** A public constructor. */
  public Sample() {
  }

  /** A protected constructor. */
  protected Sample(int count) throws IOException {
    this.count = count;
  }

  Sample(String packagePrivate) {
  }

  /** A generic, varargs, public method. */
  @SafeVarargs
  public static <E> List<E> listOf(E... elements) {
    return List.of(elements);
  }

  /** A protected abstract method with a throws clause. */
  protected abstract T compute(List<? super T> sink) throws IOException, InterruptedException;

  /** A deprecated method. */
  @Deprecated
  public void old() {
  }

  void packagePrivateMethod() {
  }

  private void privateMethod() {
    privateField++;
  }

  /** A public nested interface. */
  public interface Callback {
    /** An abstract method. */
    void call(String value);

    /** A default method. */
    default Callback then(Callback next) {
      return value -> {
        call(value);
        next.call(value);
      };
    }
  }

  /** A public nested enum. */
  public enum Mode { FAST, SLOW }

  /** A public nested record. */
  public record Pair(String left, int right) {
  }

  /** A protected nested class of a public class is visible to subclasses, so it is listed. */
  protected static class Hook {
    /** Listed. */
    public void run() {
    }
  }

  private static final class Hidden {
    public void notListed() {
    }
  }
}
