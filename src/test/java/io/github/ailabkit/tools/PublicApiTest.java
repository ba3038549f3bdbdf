package io.github.ailabkit.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.tools.apifixture.Sample;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Guards the public API: the compiled classes must describe themselves exactly as the checked-in
 * {@code api/ailab-sdk.api} does, so that no public signature changes by accident. To accept a
 * deliberate change, regenerate the file with {@value PublicApiCheck#UPDATE_COMMAND} and commit it.
 */
class PublicApiTest {
  private static final Path DUMP = Path.of(System.getProperty("basedir", ".")).resolve(PublicApiCheck.DUMP_FILE);

  @Test
  void publicApiMatchesTheCheckedInDump() throws IOException {
    List<String> actual = PublicApiDump.ofDirectory(mainClasses());
    if (Boolean.getBoolean("api.update")) {
      Files.createDirectories(DUMP.getParent());
      Files.write(DUMP, actual, StandardCharsets.UTF_8);
    }
    assertThat(DUMP).as("%s is missing; create it with %s", DUMP, PublicApiCheck.UPDATE_COMMAND).exists();
    Optional<String> difference = PublicApiCheck.compare(Files.readAllLines(DUMP, StandardCharsets.UTF_8), actual);
    assertThat(difference).as("public API check").isEmpty();
  }

  @Test
  void aChangedSignatureFailsWithTheCommandThatAcceptsIt() {
    List<String> actual = PublicApiDump.ofDirectory(mainClasses());
    List<String> altered = new ArrayList<>(actual);
    int baseUrl = altered.indexOf("  public java.net.URI baseUrl()");
    assertThat(baseUrl).as("AILabClient.baseUrl() is in the dump").isPositive();
    altered.set(baseUrl, "  public okhttp3.HttpUrl baseUrl()");

    Optional<String> difference = PublicApiCheck.compare(altered, actual);

    assertThat(difference).hasValueSatisfying(message -> assertThat(message)
        .contains("- " + AILabClient.class.getName() + " :: public okhttp3.HttpUrl baseUrl()")
        .contains("+ " + AILabClient.class.getName() + " :: public java.net.URI baseUrl()")
        .contains("mvn -B -q test -Dtest=PublicApiTest -Dapi.update=true"));
  }

  @Test
  void aRemovedOrAddedMemberOrTypeFails() {
    List<String> actual = PublicApiDump.ofDirectory(mainClasses());
    List<String> withoutOneMember = new ArrayList<>(actual);
    String member = withoutOneMember.remove(withoutOneMember.size() - 1);
    List<String> withOneTypeMore = new ArrayList<>(actual);
    withOneTypeMore.add("public final class io.github.ailabkit.Gone");

    assertThat(PublicApiCheck.compare(withoutOneMember, actual)).hasValueSatisfying(message ->
        assertThat(message).contains("+ ").contains(member.strip()).contains("1 new"));
    assertThat(PublicApiCheck.compare(withOneTypeMore, actual)).hasValueSatisfying(message ->
        assertThat(message).contains("- public final class io.github.ailabkit.Gone").contains("1 line(s) gone"));
  }

  @Test
  void reorderedLinesFailToo() {
    List<String> actual = PublicApiDump.ofDirectory(mainClasses());
    List<String> reordered = new ArrayList<>(actual);
    int member = 0;
    while (!(reordered.get(member).startsWith("  ") && reordered.get(member + 1).startsWith("  "))) {
      member++;
    }
    reordered.add(member, reordered.remove(member + 1));

    assertThat(PublicApiCheck.compare(reordered, actual)).hasValueSatisfying(message ->
        assertThat(message).contains("different order"));
  }

  @Test
  void theDumpIsTheSameOnEveryRunAndLeavesInternalOut() {
    List<String> first = PublicApiDump.ofDirectory(mainClasses());

    assertThat(PublicApiDump.ofDirectory(mainClasses())).isEqualTo(first);
    assertThat(first).noneMatch(line -> line.contains(".internal.") && !line.startsWith("  "))
        .anyMatch(line -> line.startsWith("public final class io.github.ailabkit.AILabClient "));
  }

  @Test
  void describesEveryVisibleMemberOfAType() {
    List<String> dump = PublicApiDump.ofPackage(classFolderOf(Sample.class), Sample.class.getPackageName());

    assertThat(dump).containsExactly(
        "public abstract class io.github.ailabkit.tools.apifixture.Sample<T extends java.lang.Comparable<T>>"
            + " implements java.util.function.Supplier<T>",
        "  protected Sample(int) throws java.io.IOException",
        "  public Sample()",
        "  public static final java.lang.String NAME",
        "  protected abstract T compute(java.util.List<? super T>) throws java.io.IOException,"
            + " java.lang.InterruptedException",
        "  protected int count",
        "  public static <E> java.util.List<E> listOf(E...)",
        "  @Deprecated public void old()",
        "public interface io.github.ailabkit.tools.apifixture.Sample$Callback",
        "  public void call(java.lang.String)",
        "  public default io.github.ailabkit.tools.apifixture.Sample$Callback then("
            + "io.github.ailabkit.tools.apifixture.Sample$Callback)",
        "protected static class io.github.ailabkit.tools.apifixture.Sample$Hook",
        "  protected Hook()",
        "  public void run()",
        "public enum io.github.ailabkit.tools.apifixture.Sample$Mode",
        "  enum constant public static final io.github.ailabkit.tools.apifixture.Sample$Mode FAST",
        "  enum constant public static final io.github.ailabkit.tools.apifixture.Sample$Mode SLOW",
        "  public static io.github.ailabkit.tools.apifixture.Sample$Mode valueOf(java.lang.String)",
        "  public static io.github.ailabkit.tools.apifixture.Sample$Mode[] values()",
        "public record io.github.ailabkit.tools.apifixture.Sample$Pair",
        "  public Pair(java.lang.String, int)",
        "  public final boolean equals(java.lang.Object)",
        "  public final int hashCode()",
        "  public java.lang.String left()",
        "  public int right()",
        "  public final java.lang.String toString()");
  }

  private static Path mainClasses() {
    return classFolderOf(AILabClient.class);
  }

  private static Path classFolderOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
