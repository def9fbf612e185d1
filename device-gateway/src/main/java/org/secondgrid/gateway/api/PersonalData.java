package org.secondgrid.gateway.api;

import org.secondgrid.gateway.auth.AccessLog;
import org.secondgrid.gateway.auth.Consents;

/**
 * The gate in front of every read of personal data (a site's metered history, forecast, orders,
 * schedule, trades; an EV's availability, jobs, location). The owner reads freely. An admin reads with
 * a stated purpose; an operator only data its owner opted in to share, with a purpose. Every read by
 * someone other than the owner is written to the data-access log first. Anyone else gets the same 404
 * as for an id that does not exist.
 */
public final class PersonalData {

    private final AccessLog log;
    private final Consents consents;

    public PersonalData(AccessLog log, Consents consents) {
        this.log = log;
        this.consents = consents;
    }

    /**
     * Allows the read or throws.
     *
     * @param what      "site" or "EV" (for the 404 message)
     * @param id        the site or EV id
     * @param owner     its owner, or null if it does not exist
     * @param category  data category written to the log (metered, forecast, orders, schedule, trades,
     *                  availability, jobs, location)
     * @param operatorConsent the consent that lets an operator read it, or null if operators never may
     */
    public void read(Req req, String what, String id, String owner, String category, Consents.Category operatorConsent) {
        Caller c = req.caller();
        if (owner == null) {
            throw ApiException.notFound(what, id);
        }
        if (owner.equals(c.participantId())) {
            return;
        }
        boolean allowed = c.has(Role.ADMIN)
                || (c.has(Role.OPERATOR) && operatorConsent != null && consents.granted(owner, operatorConsent));
        if (!allowed) {
            throw ApiException.notFound(what, id);
        }
        String purpose = req.purpose();
        log.record(c.participantId(), c.readerRole().id(), owner, category, id, req.path(), purpose);
    }

    /** Whether the caller is the owner (then nothing is logged). */
    public static boolean isOwner(Req req, String owner) {
        return owner != null && owner.equals(req.caller().participantId());
    }
}
