package org.hyperport.conformance;

import org.hyperport.api.Engine;

/**
 * The verdict on one case on one engine.
 *
 * @param detail for FAIL the first thing that differed; for SKIP the reason; for PASS a short summary
 */
public record CaseResult(ConformanceCase testCase, Engine engine, Verdict verdict, String detail, long millis) {

    public enum Verdict { PASS, FAIL, SKIP }

    public static CaseResult skip(ConformanceCase c, Engine e, String why) {
        return new CaseResult(c, e, Verdict.SKIP, why, 0);
    }
}
