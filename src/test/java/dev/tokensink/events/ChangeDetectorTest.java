package dev.tokensink.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokensink.events.LifecycleEvent.Type;
import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.ReauthMark;
import dev.tokensink.model.Secret;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeDetectorTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final ProfileId A = ProfileId.parse("openai-codex:default");
  private static final ProfileId B = ProfileId.parse("openai-codex:work");

  private static Profile oauth(ProfileId id, String access, long expires) {
    return Profile.of(
        id, new Credential.OAuth(Secret.of(access), Secret.of("r-" + access), expires, null, null));
  }

  private static List<Type> types(AgentSnapshot prev, AgentSnapshot next) {
    return ChangeDetector.diff(prev, next, NOW).stream().map(LifecycleEvent::type).toList();
  }

  @Test
  void diff_addedRemovedRefreshedAndReauth() {
    AgentSnapshot prev = AgentSnapshot.empty(AgentId.MAIN).withProfile(oauth(A, "a1", 1000));
    AgentSnapshot added = prev.withProfile(oauth(B, "b1", 1000));
    assertEquals(List.of(Type.PROFILE_ADDED), types(prev, added));
    assertEquals(List.of(Type.PROFILE_REMOVED), types(added, prev));
    AgentSnapshot rotated = prev.withProfile(oauth(A, "a2", 2000));
    assertEquals(List.of(Type.REFRESHED), types(prev, rotated));
    AgentSnapshot marked =
        prev.withState(
            prev.state().withReauth(A, new ReauthMark("refresh interrupted by a crash", 1)));
    List<LifecycleEvent> events = ChangeDetector.diff(prev, marked, NOW);
    assertEquals(Type.REAUTH_REQUIRED, events.get(0).type());
    assertEquals("refresh interrupted by a crash", events.get(0).reason());
  }

  @Test
  void diff_firstLoadOrNoChange_nothing() {
    AgentSnapshot s = AgentSnapshot.empty(AgentId.MAIN).withProfile(oauth(A, "a1", 1000));
    assertEquals(List.of(), types(null, s));
    assertEquals(List.of(), types(s, s));
  }
}
