import type { User } from "../models";

export interface PresentedUser {
  id: number;
  name: string;
  email: string;
  initials: string;
  isPlatformAdmin: boolean;
  /** The uploaded photo (served by the profile routes), or null to show the initials. */
  avatarUrl: string | null;
}

export function presentUser(
  user: Pick<User, "id" | "name" | "email" | "isPlatformAdmin" | "avatarPath">,
): PresentedUser {
  const initials = user.name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? "")
    .join("");
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    initials: initials || "?",
    isPlatformAdmin: user.isPlatformAdmin,
    avatarUrl: user.avatarPath ? `/avatars/${user.avatarPath.split("/").pop()}` : null,
  };
}
