package io.github.ailabkit.tools.apifixture;

/** Not public, so not in the dump, nor is its public nested class. */
final class PackagePrivate {
  /** Not listed: its enclosing class is not public. */
  public static final class Nested {
  }
}
