import { describe, expect, it } from 'vitest';
import { restRatingOf, unitValue } from '../../src/rest/rating-view.js';
import { SCALAR_METRICS, type Rating } from '../../src/domain/rating/rating.js';
import type { ArtifactState } from '../../src/domain/artifact-state.js';

/** The one mapping from a stored rating to the course's ModelRating (docs/metrics.md, "REST"). */
const score = (value: number | null, latencySeconds = 0.25) => ({ value, latencySeconds, explanation: 'why' }) as { value: number; latencySeconds: number; explanation: string };

function rating(overrides: Partial<Record<(typeof SCALAR_METRICS)[number], number | null>> = {}, devices: [number | null, number | null, number | null, number | null] = [0.2, 0.5, 1, 1]): Rating {
  return {
    ratedAt: '2025-06-01T00:00:00.000Z',
    netScore: score(0.8),
    ...Object.fromEntries(SCALAR_METRICS.map((metric) => [metric, score(metric in overrides ? overrides[metric]! : 0.6)])),
    sizeScore: { raspberryPi: devices[0], jetsonNano: devices[1], desktopPc: devices[2], awsServer: devices[3], latencySeconds: 0.5, explanation: 'sizes' },
  } as unknown as Rating;
}

const model = { id: '01JAAAAAAAAAAAAAAAAAAAAAAA', type: 'MODEL', name: 'bert', metadata: { source: 'huggingface-model', pipelineTag: 'fill-mask' } } as unknown as ArtifactState;

describe('restRatingOf', () => {
  it('names every metric in snake_case with its latency, and size_score per device', () => {
    const body = restRatingOf(model, rating());
    expect(body).toMatchObject({ name: 'bert', category: 'fill-mask', net_score: 0.8, net_score_latency: 0.25, ramp_up_time: 0.6, dataset_and_code_score: 0.6, tree_score_latency: 0.25 });
    expect(body['size_score']).toEqual({ raspberry_pi: 0.2, jetson_nano: 0.5, desktop_pc: 1, aws_server: 1 });
    expect(body['size_score_latency']).toBe(0.5);
    expect(Object.keys(body)).toHaveLength(2 + 2 + 2 * SCALAR_METRICS.length + 2);
  });

  it('keeps reviewedness -1 when not applicable, and makes every other metric without evidence 0', () => {
    for (const missing of [-1, null]) {
      const body = restRatingOf(model, rating({ reviewedness: missing, treeScore: missing, codeQuality: missing }, [missing, missing, 1, 1]));
      expect(body).toMatchObject({ reviewedness: -1, tree_score: 0, code_quality: 0 });
      expect(body['size_score']).toEqual({ raspberry_pi: 0, jetson_nano: 0, desktop_pc: 1, aws_server: 1 });
    }
    expect(restRatingOf(model, rating({ reviewedness: 0.4 }))['reviewedness']).toBe(0.4);
  });

  it('clamps into [0, 1]', () => {
    expect([unitValue(1.2), unitValue(-0.3), unitValue(Number.NaN), unitValue(null), unitValue(0.5)]).toEqual([1, 0, 0, 0, 0.5]);
  });
});
