package dev.jtransformers.hub;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A model on the Hugging Face Hub: its repository id ({@code org/name}, or a bare legacy {@code name}) and the
 * revision asked for (a branch, tag or commit; {@value #DEFAULT_REVISION} when none is).
 *
 * <p>Repository ids follow huggingface_hub's {@code validate_repo_id}: one optional {@code org/}, word characters,
 * {@code -} and {@code .}, no {@code --} or {@code ..}, at most 96 characters, not ending in {@code .git}.
 *
 * @param repo the repository id, e.g. {@code sentence-transformers/all-MiniLM-L6-v2}
 * @param revision the revision asked for; empty for the default branch
 */
public record HubModelId(String repo, Optional<String> revision) {
  /** The revision used when none is given, as in huggingface_hub. */
  public static final String DEFAULT_REVISION = "main";

  private static final Pattern REPO = Pattern.compile(
      "(\\b[\\w\\-.]+\\b/)?\\b[\\w\\-.]+\\b", Pattern.UNICODE_CHARACTER_CLASS);
  private static final int MAX_REPO_LENGTH = 96;
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  /**
   * @throws IllegalArgumentException if {@code repo} is not a valid repository id, or {@code revision} is blank or
   *     has a {@code ..} segment (it names a file under {@code refs/})
   */
  public HubModelId {
    Objects.requireNonNull(repo, "repo");
    Objects.requireNonNull(revision, "revision");
    if (!isRepoId(repo)) {
      throw new IllegalArgumentException("not a Hugging Face repository id: '" + repo + "'");
    }
    revision.ifPresent(HubModelId::checkRevision);
  }

  /** {@code repo} at {@code revision}. */
  public static HubModelId of(String repo, String revision) {
    return new HubModelId(repo, Optional.of(revision));
  }

  /**
   * Reads {@code org/name} or {@code org/name@revision}.
   *
   * @return empty if the text is not of that form (a path, say), so it names no hub model
   */
  public static Optional<HubModelId> parse(String text) {
    Objects.requireNonNull(text, "text");
    int at = text.indexOf('@');
    String repo = at < 0 ? text : text.substring(0, at);
    Optional<String> revision = at < 0 ? Optional.empty() : Optional.of(text.substring(at + 1));
    if (!isRepoId(repo) || revision.filter(r -> !validRevision(r)).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(new HubModelId(repo, revision));
  }

  /** The revision asked for, else {@value #DEFAULT_REVISION}. */
  public String revisionOrDefault() {
    return revision.orElse(DEFAULT_REVISION);
  }

  /** Whether {@code revision} is a full commit hash, which needs no resolving (40 lower-case hex digits). */
  static boolean isCommitHash(String revision) {
    return COMMIT.matcher(revision).matches();
  }

  private static boolean isRepoId(String repo) {
    return repo.length() <= MAX_REPO_LENGTH
        && REPO.matcher(repo).matches()
        && !repo.contains("--")
        && !repo.contains("..")
        && !repo.endsWith(".git");
  }

  private static boolean validRevision(String revision) {
    return !revision.isBlank()
        && !revision.startsWith("/")
        && !revision.contains("\\")
        && !("/" + revision + "/").contains("/../");
  }

  private static void checkRevision(String revision) {
    if (!validRevision(revision)) {
      throw new IllegalArgumentException("not a revision (branch, tag or commit): '" + revision + "'");
    }
  }

  /** {@code repo} or {@code repo@revision}, as {@link #parse} reads it. */
  @Override
  public String toString() {
    return repo + revision.map(r -> "@" + r).orElse("");
  }
}
