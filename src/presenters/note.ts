import type { Note } from "../models";

/** A note as the API shows it. `editable`: whether the asking member may change it. */
export function presentNote(note: Note, editable: boolean, authorName?: string) {
  return {
    id: note.id,
    customerId: note.customerId,
    body: note.body,
    author: note.authorId
      ? { id: note.authorId, name: note.author?.name ?? authorName ?? null }
      : null,
    editable,
    createdAt: note.createdAt.toISOString(),
    updatedAt: note.updatedAt.toISOString(),
  };
}

export type PresentedNote = ReturnType<typeof presentNote>;
