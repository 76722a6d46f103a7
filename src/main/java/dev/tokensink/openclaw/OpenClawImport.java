package dev.tokensink.openclaw;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.store.CredentialStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tokensink import openclaw --from DIR}: copies the profiles, order and usage state of an
 * OpenClaw state dir (JSON layout up to 2026.5, SQLite layout 2026.6+) into a tokensink store,
 * agent by agent, each agent all or nothing (one {@link CredentialStore#update}). The source is
 * never written: SQLite databases are read from private copies (see {@link SqliteSnapshot}), JSON
 * files are read whole.
 *
 * <p>Usage: {@code new OpenClawImport().run(new ImportOptions(dir, null, false, false), store,
 * System.getenv(), clock)}.
 */
public final class OpenClawImport {
  private final int attempts;
  private final SqliteSnapshot.Hook hook;

  public OpenClawImport() {
    this(3, SqliteSnapshot.NO_HOOK);
  }

  OpenClawImport(int attempts, SqliteSnapshot.Hook hook) {
    this.attempts = attempts;
    this.hook = hook;
  }

  public ImportResult run(
      ImportOptions options, CredentialStore target, Map<String, String> env, Clock clock) {
    String from = String.valueOf(options.from());
    Source source;
    try {
      if (options.agent() != null) {
        AgentId.of(options.agent());
      }
      source = new SourceReader(new SqliteSource(attempts, hook)).read(options.from(), env);
    } catch (OpenClawImportException e) {
      return new ImportResult(ImportReport.fatal(from, e, options.dryRun()));
    } catch (IllegalArgumentException e) {
      return new ImportResult(
          ImportReport.fatal(
              from, OpenClawImportException.badInput(e.getMessage()), options.dryRun()));
    }
    if (options.agent() != null
        && source.agents().stream().noneMatch(a -> a.id().equals(options.agent()))) {
      return new ImportResult(
          ImportReport.fatal(
              from,
              OpenClawImportException.badInput(
                  "agent "
                      + options.agent()
                      + " is not in "
                      + from
                      + " (agents: "
                      + source.agents().stream().map(Source.Agent::id).toList()
                      + ")"),
              options.dryRun()));
    }
    if (!options.dryRun() && target.writeRefusal().isPresent()) {
      return new ImportResult(
          ImportReport.fatal(
              from,
              OpenClawImportException.badInput(
                  "the tokensink store refuses writes: " + target.writeRefusal().get()),
              false));
    }
    SecretRefCheck refs = new SecretRefCheck(source.dir(), env, source.config());
    Map<String, AgentPlan> plans =
        new Planner(new ProfileMapper(refs, clock.millis())).plan(source);
    List<AgentReport> reports = new ArrayList<>();
    boolean badInput = false;
    for (AgentPlan plan : plans.values()) {
      if (options.agent() != null && !plan.agent.equals(options.agent())) {
        continue;
      }
      if (plan.error != null) {
        badInput |= plan.error.kind() == OpenClawImportException.Kind.BAD_INPUT;
        reports.add(AgentReport.failed(plan.agent, plan.error.getMessage()));
        continue;
      }
      reports.add(apply(plan, target, options));
    }
    String layout = source.layout() == OpenClawLayout.SQLITE ? "sqlite" : "json";
    return new ImportResult(
        new ImportReport(
            from,
            layout,
            options.dryRun(),
            reports,
            source.notes(),
            null,
            ImportReport.exitCode(reports, badInput)));
  }

  private static AgentReport apply(AgentPlan plan, CredentialStore target, ImportOptions options) {
    AgentId agent = AgentId.of(plan.agent);
    try {
      if (options.dryRun()) {
        AgentSnapshot current = target.read(agent).orElse(AgentSnapshot.empty(agent));
        return Merge.merge(current, plan, options.overwrite(), true).report();
      }
      if (plan.profiles.isEmpty() && target.read(agent).isEmpty()) {
        // nothing to put into an agent tokensink does not have: do not create an empty one
        return Merge.merge(AgentSnapshot.empty(agent), plan, options.overwrite(), false).report();
      }
      return target.update(
          agent,
          tx -> {
            Merge.Result r = Merge.merge(tx.current(), plan, options.overwrite(), false);
            if (r.changed()) {
              tx.write(r.next());
            }
            return r.report();
          });
    } catch (RuntimeException e) { // StoreException and friends: nothing of this agent was written
      return AgentReport.failed(
          plan.agent, "writing agent " + plan.agent + " failed: " + e.getMessage());
    }
  }
}
