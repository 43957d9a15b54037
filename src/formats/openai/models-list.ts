import type { ModelListing } from '../../routing/router.ts';

/** GET /v1/models in OpenAI's shape. */
export function openAIModelList(models: ModelListing[], created: number): { object: 'list'; data: Array<{ id: string; object: 'model'; created: number; owned_by: string }> } {
  return { object: 'list', data: models.map((model) => ({ id: model.id, object: 'model', created, owned_by: model.owned_by })) };
}
