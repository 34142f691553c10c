package dev.kadshare.simulation.report;

/** The outcome of one simulation run. */
public sealed interface Report permits LookupReport, SwarmReport, ScalingReport, NatReport, AttackReport {
    String scenario();

    String mode();

    int nodes();

    long seed();

    Cost cost();
}
