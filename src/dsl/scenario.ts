// Scenario helpers (attach, track, advance, expect, …): owned by the simulate work.
export {};
