// Waiting for an underwriter: reminders once the reminder level passes, then the senior underwriters.
import { escalationLevels } from '../../domain/shared/review.ts';
import { waitWithServiceLevels } from '../service-levels.ts';
import { notifyAboutApplication, setApplicationWaiting } from './activities.ts';
import { underwritingActivityOptions as options, type UnderwritingInput } from './messages.ts';

/** Reminds underwriters once the reminder level passes, then moves the case to senior underwriters. */
export async function awaitUnderwriter(
  input: UnderwritingInput,
  since: string,
  decided: () => boolean,
  escalated: () => void,
): Promise<void> {
  const levels = input.serviceLevels ?? escalationLevels();
  await waitWithServiceLevels(decided, since, levels, {
    remind: async () => {
      await notifyAboutApplication.executeWithOptions({ ...options.record, summary: 'Remind underwriters' }, [
        {
          applicationId: input.applicationId,
          audience: 'underwriters',
          kind: 'REVIEW_REMINDER',
          message: `Application ${input.applicationId} has waited for an underwriter since ${since}.`,
        },
      ]);
    },
    escalate: async () => {
      await setApplicationWaiting.executeWithOptions({ ...options.record, summary: 'Escalate to senior underwriters' }, [
        { applicationId: input.applicationId, waiting: { queue: 'senior-underwriters', since } },
      ]);
      await notifyAboutApplication.executeWithOptions({ ...options.record, summary: 'Tell senior underwriters' }, [
        {
          applicationId: input.applicationId,
          audience: 'senior-underwriters',
          kind: 'REVIEW_ESCALATED',
          message: `Application ${input.applicationId} has waited since ${since} and is escalated to you.`,
        },
      ]);
      escalated();
    },
  });
}
