package dev.tokensink.replicas;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a replica test started (database, provider, replica processes, thread pools), closed after
 * each test in reverse order of registration: {@code @RegisterExtension final Closer resources =
 * new Closer();}.
 */
final class Closer implements AfterEachCallback {
  private final List<AutoCloseable> resources = new ArrayList<>();

  <T extends AutoCloseable> T add(T resource) {
    resources.add(resource);
    return resource;
  }

  void addAll(Collection<? extends AutoCloseable> all) {
    resources.addAll(all);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    resources.clear();
  }
}
