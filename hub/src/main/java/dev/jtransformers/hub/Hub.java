package dev.jtransformers.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model files from the Hugging Face Hub, kept in huggingface_hub's cache and shared with Python, as {@code
 * snapshot_download} fetches them.
 *
 * <p>Online, the revision is resolved to a commit with one API call, and each wanted file missing from that
 * commit's snapshot is fetched: a {@code HEAD} for its ETag, then the content into a temporary file, checked against
 * the ETag and renamed into {@code blobs/}, under a lock, and linked from the snapshot. When the hub can't be reached
 * (or refuses) and the cache knows the revision, the cached snapshot is used, as Python does. Offline ({@link
 * HubSettings#offline()}), the network is never used. Thread-safe; several threads and processes may share one
 * cache.
 *
 * <pre>{@code
 * Hub hub = new Hub(HubSettings.fromEnvironment());
 * Snapshot snapshot = hub.snapshot(HubModelId.parse("acme/minilm-sst2@v1").orElseThrow(),
 *     FileSelection.of(List.of(ModelFormat.ONNX)));
 * snapshot.directory();   // …/models--acme--minilm-sst2/snapshots/<commit>
 * }</pre>
 */
public final class Hub {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  private final HubSettings settings;
  private final HubCache cache;
  private volatile HubClient client;

  public Hub(HubSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.cache = new HubCache(settings.cacheDirectory());
  }

  public HubSettings settings() {
    return settings;
  }

  public HubCache cache() {
    return cache;
  }

  /**
   * The snapshot of {@code id} holding the files {@code selection} picks, fetching those the cache lacks.
   *
   * @throws HubException if the model, revision or a needed file is not on the hub (or not in the cache while offline
   *     or unreachable), the hub refuses (no token, no access), a download fails, or a file does not match its ETag
   */
  public Snapshot snapshot(HubModelId id, FileSelection selection) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(selection, "selection");
    String revision = id.revisionOrDefault();
    Optional<String> cachedCommit = cache.commit(id.repo(), revision);
    if (settings.offline()) {
      return fromCache(id, selection, cachedCommit, "offline (HF_HUB_OFFLINE is set)", null);
    }
    HubClient.RepoInfo info;
    try {
      // With a cached copy to fall back on, don't make the user wait for retries, as huggingface_hub.
      info = client().repoInfo(id.repo(), revision, cachedCommit.isPresent() ? 1 : settings.attempts());
    } catch (HubException e) {
      if (e.notFound() || cachedCommit.isEmpty()) {
        throw e;
      }
      LOG.warn("{}; using the cached snapshot of {}", e.getMessage(), id);
      return fromCache(id, selection, cachedCommit, "the hub could not be asked", e);
    }
    try {
      cache.writeRef(id.repo(), revision, info.commit());
    } catch (IOException e) {
      LOG.warn("could not record that {} is at {} in {}: {}", id, info.commit(), cache.root(), e.toString());
    }
    FileSelection.Plan plan = selection.plan(info.files(), id + " at commit " + info.commit());
    int downloaded = 0;
    for (String path : plan.all()) {
      if (fetch(id.repo(), info.commit(), path, plan.weights().contains(path))) {
        downloaded++;
      }
    }
    return report(new Snapshot(id, info.commit(), cache.snapshot(id.repo(), info.commit()),
        present(id.repo(), info.commit(), plan.all()), downloaded));
  }

  /** The snapshot the cache holds for the revision; the network is not used. */
  private Snapshot fromCache(
      HubModelId id, FileSelection selection, Optional<String> commit, String why, HubException cause) {
    Path snapshot = commit.map(c -> cache.snapshot(id.repo(), c)).orElse(null);
    if (snapshot == null || !Files.isDirectory(snapshot)) {
      throw new HubException(id + " is not in the Hugging Face cache at " + cache.root() + " and " + why
          + (commit.isPresent() ? " (it knows commit " + commit.get() + " but not its files)" : "")
          + "; download it once online (or set HF_HUB_CACHE / HF_HOME to the cache that has it)", cause);
    }
    List<String> files = cache.files(id.repo(), commit.get());
    FileSelection.Plan plan = selection.plan(files, "the cached snapshot " + snapshot + " of " + id);
    return report(new Snapshot(id, commit.get(), snapshot, plan.all(), 0));
  }

  /**
   * Makes {@code path} at {@code commit} present in the snapshot.
   *
   * @return whether it was downloaded now
   */
  private boolean fetch(String repo, String commit, String path, boolean required) {
    if (cache.file(repo, commit, path).isPresent() || (!required && cache.knownMissing(repo, commit, path))) {
      return false;
    }
    HubClient.RemoteFile remote;
    try {
      remote = client().metadata(repo, commit, path);
    } catch (HubException e) {
      if (!e.notFound()) {
        throw e;
      }
      cache.markMissing(repo, commit, path);
      if (required) {
        throw e;
      }
      LOG.debug("{} has no {} at {}", repo, path, commit);
      return false;
    }
    try (BlobLock lock = BlobLock.acquire(cache.lockFile(repo, remote.etag()))) {
      Path blob = cache.blob(repo, remote.etag());
      boolean download = !Files.isRegularFile(blob);
      if (download) {
        downloadBlob(repo, path, remote, blob);
      }
      if (cache.file(repo, commit, path).isEmpty()) {
        cache.link(repo, commit, path, remote.etag(), download);
      }
      return download;
    } catch (IOException e) {
      throw new HubException("cannot write " + path + " of " + repo + " into the cache at " + cache.root() + ": " + e,
          e);
    }
  }

  /** Downloads into a temporary file of this download's own, checks it, and renames it into place. */
  private void downloadBlob(String repo, String path, HubClient.RemoteFile remote, Path blob) throws IOException {
    Files.createDirectories(blob.getParent());
    Path incomplete = cache.incompleteBlob(repo, remote.etag());
    try {
      LOG.info("downloading {} of {}{}", path, repo,
          remote.size().isPresent() ? " (" + remote.size().getAsLong() + " bytes)" : "");
      DownloadProgress progress = DownloadProgress.forFile(path, remote.size(), settings.progressBars());
      client().download(repo, path, remote, incomplete, progress);
      progress.finish();
      ContentCheck.verify(incomplete, remote.etag(), path + " of " + repo + " from " + remote.location());
      Files.move(incomplete, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(incomplete);
    }
  }

  /** The files of the plan the snapshot has (an optional file may be absent). */
  private List<String> present(String repo, String commit, List<String> files) {
    return files.stream().filter(file -> cache.file(repo, commit, file).isPresent()).toList();
  }

  private static Snapshot report(Snapshot snapshot) {
    LOG.info("{} is commit {} ({} files, {} downloaded) in {}", snapshot.id(), snapshot.commit(),
        snapshot.files().size(), snapshot.downloaded(), snapshot.directory());
    return snapshot;
  }

  /** The HTTP client, made on first use: discovering the hub source must stay cheap and offline. */
  private HubClient client() {
    HubClient current = client;
    if (current == null) {
      synchronized (this) {
        current = client;
        if (current == null) {
          current = new HubClient(settings);
          client = current;
        }
      }
    }
    return current;
  }

  @Override
  public String toString() {
    return "Hub[" + settings + "]";
  }
}
