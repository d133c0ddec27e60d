import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { z } from "astro/zod";

// Every field wpmigrate writes; fields added with -O fields= pass through.
const comment = z.looseObject({
  id: z.union([z.number(), z.string()]).nullish(),
  author: z.string().nullish(),
  author_url: z.string().nullish(),
  date: z.coerce.date().nullish(),
  content: z.string().nullish(),
  get replies() {
    return z.array(comment).optional();
  },
});

const item = z.looseObject({
  title: z.string(),
  pubDate: z.coerce.date().optional(),
  updatedDate: z.coerce.date().optional(),
  permalink: z.string(),
  draft: z.boolean().optional(),
  author: z.string().optional(),
  categories: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  taxonomies: z.record(z.string(), z.array(z.string())).optional(),
  description: z.string().optional(),
  heroImage: z.string().optional(),
  wordpress_id: z.union([z.number(), z.string()]).optional(),
  comments: z.array(comment).optional(),
});

export const collections = {
  "pages": defineCollection({
    loader: glob({ pattern: "**/*.md", base: "./src/content/pages", generateId: ({ entry }) => entry.replace(/\.md$/, "") }),
    schema: item,
  }),
  "posts": defineCollection({
    loader: glob({ pattern: "**/*.md", base: "./src/content/posts", generateId: ({ entry }) => entry.replace(/\.md$/, "") }),
    schema: item,
  }),
};
