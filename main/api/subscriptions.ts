import type { z } from 'zod';
import type { SUBSCRIPTIONS, Topic, TopicEvent } from '../../common';
import type { FindRun } from './runs';

type TopicRequest<T extends Topic> = z.output<(typeof SUBSCRIPTIONS)[T]['request']>;

/** Starts one subscription: events go to `emit`; the returned function stops them. */
export type SubscriptionHandlers = {
  [T in Topic]: (
    request: TopicRequest<T>,
    emit: (event: TopicEvent<T>) => void,
  ) => Promise<() => void>;
};

export function createSubscriptionHandlers(findRun: FindRun): SubscriptionHandlers {
  return {
    'rebuild.subscribe': async ({ runId, fromSeq }, emit) =>
      (await findRun(runId)).onEvent((event, seq) => emit({ seq, event }), fromSeq),
  };
}
