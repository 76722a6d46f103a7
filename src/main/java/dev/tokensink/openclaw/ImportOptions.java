package dev.tokensink.openclaw;

import java.nio.file.Path;

/**
 * Options of {@code tokensink import openclaw}.
 *
 * @param from the OpenClaw state dir (e.g. {@code ~/.openclaw}); read only
 * @param agent only this agent, or null for every agent
 * @param dryRun compute the report, write nothing
 * @param overwrite replace profiles (and orders) tokensink already holds with other content
 */
public record ImportOptions(Path from, String agent, boolean dryRun, boolean overwrite) {}
